// Types for cluster.mjs (the parts the TypeScript tests and the bench use).
export declare const ADMIN_USER: string;
export declare const ADMIN_PASSWORD: string;
export interface PgCluster {
  port: number;
  dataDir: string;
  /** with `tls`: the CA that signed the server's certificate (PEM) */
  caFile?: string;
  url(db?: string, user?: string, password?: string): string;
  pause(mode?: 'fast' | 'immediate'): void;
  resume(): void;
  stop(): void;
}
export declare function pgBinDir(): string;
export declare function freePort(): Promise<number>;
export declare function startCluster(opts?: { maxConnections?: number; tls?: boolean }): Promise<PgCluster>;
