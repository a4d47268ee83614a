import type { SoakResult } from './figures';

/** The soak's report on stdout, ending with its verdict and where the raw results went. */
export function printSoakReport(r: SoakResult, writtenTo: string): void {
  const p = (line: string) => process.stdout.write(`${line}\n`);
  p('');
  p(`==== Herald ${r.mode} report ====`);
  if (r.mode === 'fault-1')
    p(
      `config: ${r.config.notifications} notifications, ${r.config.kills} SIGKILLs, concurrency ${r.config.concurrency}, smtp delay ${r.config.smtpDelayMs} ms`,
    );
  else
    p(
      `config: ${r.config.durationMin} min at ${r.config.rate}/s, worker restart every ${r.config.restartEverySec} s (every 3rd by SIGKILL), smtp delay ${r.config.smtpDelayMs} ms`,
    );
  p(`elapsed ${r.elapsedSeconds} s (traffic ${r.trafficSeconds} s, drain ${r.drainSeconds} s)`);
  p(
    `accepted ${r.accepted}, delivered ${r.delivered}, refused ${r.refused}, lost ${r.lost} (stuck Pending ${r.stuckPending}, not found ${r.notFound})`,
  );
  p(
    `status regressions ${r.statusRegressions} (${r.finalStatusesTracked} final statuses tracked, every id re-read after the drain)`,
  );
  p(
    `posts: ${r.post.attempts} requests, ${r.post.retries} retries (same Idempotency-Key), ${r.post.networkErrors} network errors, gave up ${r.post.gaveUp}, answers ${JSON.stringify(r.post.statuses)}${r.mode === 'soak' ? `, ticks skipped (>256 in flight) ${r.post.behind}` : ''}`,
  );
  p(
    `smtp: ${r.smtp.sends} sends for ${r.smtp.distinctIds} ids (${r.smtp.sendsWithoutId} without id, ${r.smtp.sendsForUnacceptedIds} for ids never 202'd), ${r.smtp.connections} connections`,
  );
  p(
    `duplicate SMTP sends: ${r.duplicates} ids (${r.duplicateSendsExtra} extra sends); attempt cut by a kill: ${r.duplicatesCutByKill}, NOT cut by a kill: ${r.duplicatesNotCutByKill}`,
  );
  for (const d of r.duplicateDetails.filter((d) => !d.cutByKill).slice(0, 10))
    p(
      `  not cut by a kill: ${d.id} ×${d.sends} at ${d.atMs.join(', ')} ms${d.openAtSigterm.length ? ` (open at SIGTERM of gen ${d.openAtSigterm.join(',')})` : ''}`,
    );
  p(`delivered without an SMTP send: ${r.deliveredWithoutSmtpSend}`);
  p(
    `worker: ${r.worker.generations} generations, ${r.worker.sigkills} SIGKILLs, ${r.worker.sigterms} SIGTERMs (${r.worker.sigtermsThatNeededSigkill} needed SIGKILL), attempts open at a SIGKILL ${r.worker.attemptsOpenAtSigkill}, at a SIGTERM ${r.worker.attemptsOpenAtSigterm}; start ms ${JSON.stringify(r.worker.startMs)}, SIGTERM stop ms ${JSON.stringify(r.worker.stopMs)}`,
  );
  p(
    `peak RSS: api ${r.rss.peakApiMB} MB, worker ${r.rss.peakWorkerMB} MB, emulators ${r.rss.peakEmulatorsMB} MB`,
  );
  p('RSS per minute (MB, start→end):');
  for (const m of r.rss.perMinute)
    p(
      `  min ${String(m.minute).padStart(2)}: api ${m.apiStartMB}→${m.apiEndMB}  worker ${m.workerStartMB}→${m.workerEndMB} (gen ${m.workerGens.join('→')})  emulators ${m.emulatorsStartMB}→${m.emulatorsEndMB}`,
    );
  p(
    `verdict: ${r.lost === 0 && r.statusRegressions === 0 ? 'PASS' : 'FAIL'} (lost ${r.lost}, regressions ${r.statusRegressions})`,
  );
  p(`written: ${writtenTo}`);
}
