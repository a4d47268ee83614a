import { parseArgs } from 'node:util';
import type { DeviceTarget } from '@herald/core';
import { callApi } from '../api-client';
import { onePositional, parseOrUsage, pickSubcommand, UsageError } from '../args';
import type { Command } from '../context';
import { readJsonInput } from '../json-input';
import { noOptions } from './recipient-output';

/** `devices add <id> --json file|-`: registers a device (a push target) and prints it. */
const addDevice: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { json: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  const id = onePositional(positionals, 'id');
  if (values.json === undefined) throw new UsageError('devices add needs --json <file|->');
  // The API validates the target (one shape everywhere) and lists every problem.
  const target = (await readJsonInput(values.json, ctx)) as DeviceTarget;
  const { device, created } = await callApi(ctx, (client) => client.addDevice(id, target));
  ctx.io.out(JSON.stringify(device, null, 2));
  ctx.io.err(created ? 'registered a new device' : 'the device was registered already');
};

/** `devices list <id>`: the recipient's devices, newest registration first, as JSON. */
const listDevices: Command = async (args, ctx) => {
  const id = onePositional(noOptions(args), 'id');
  const devices = await callApi(ctx, (client) => client.listDevices(id));
  ctx.io.out(JSON.stringify(devices, null, 2));
};

/** `devices remove <id> <deviceId>`. */
const removeDevice: Command = async (args, ctx) => {
  const [id, deviceId, ...rest] = noOptions(args);
  if (id === undefined || deviceId === undefined) throw new UsageError('missing <id> <deviceId>');
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  await callApi(ctx, (client) => client.removeDevice(id, deviceId));
  ctx.io.err(`removed device ${deviceId}`);
};

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([
  ['add', addDevice],
  ['list', listDevices],
  ['remove', removeDevice],
]);

/** `herald recipients devices add|list|remove …`. */
export const devicesCommand: Command = (args, ctx) => {
  const [name, ...rest] = args;
  return pickSubcommand('recipients devices', SUBCOMMANDS, name)(rest, ctx);
};
