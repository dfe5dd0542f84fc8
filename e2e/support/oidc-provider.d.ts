// oidc-provider ships no types (and @types/oidc-provider lags behind v9): what e2e/sso.spec.ts uses.
declare module 'oidc-provider' {
  import type { Server } from 'node:http';

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    listen(port: number): Server;
  }
}
