// autocannon ships no types; this is the slice of its API that autocannon-load.ts uses.
declare module 'autocannon' {
  interface RequestContext {
    marker?: string;
  }

  interface RequestParams {
    method?: string;
    path?: string;
    body?: string;
  }

  interface AutocannonRequest {
    method?: string;
    setupRequest?: (req: RequestParams, context: RequestContext) => RequestParams;
    onResponse?: (status: number, body: string, context: RequestContext) => void;
  }

  interface AutocannonOptions {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    amount?: number;
    headers?: Record<string, string>;
    /** Seconds. */
    timeout?: number;
    requests?: AutocannonRequest[];
  }

  interface Histogram {
    average: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
    p99_9: number;
    max: number;
  }

  interface AutocannonResult {
    requests: Histogram;
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export = autocannon;
}
