import { SqliteSnapshotReader } from "../history/sqlite-snapshot.js";
import type { StoreFiles } from "../protocol.js";
import { ActorProcess, type Role } from "./actor-process.js";

export type PoolOptions = {
  /** The store module the gateways import (absolute path). One pool serves one module. */
  storeModule: string;
  /** The Node binary for children; the parent's own by default. */
  nodePath?: string;
  /** How long one step may take before the run is failed. */
  stepTimeoutMs?: number;
};

/**
 * Warm actor processes, reused across runs so that a schedule costs IPC round trips rather
 * than process starts. Every process the pool ever started is tracked until it is dead.
 */
export class ActorPool {
  private readonly idle: Record<Role, ActorProcess[]> = { gateway: [], external: [] };
  private readonly everyone = new Set<ActorProcess>();
  private spares: Record<Role, ActorProcess[]> = { gateway: [], external: [] };
  private readonly spareCount = 3;
  readonly storeModule: string;
  readonly nodePath: string;
  readonly stepTimeoutMs: number;
  started = 0;

  constructor(opts: PoolOptions) {
    this.storeModule = opts.storeModule;
    this.nodePath = opts.nodePath ?? process.execPath;
    this.stepTimeoutMs = opts.stepTimeoutMs ?? 15_000;
  }

  acquire(role: Role): ActorProcess {
    let actor = this.idle[role].pop();
    while (actor && !actor.alive) actor = this.idle[role].pop();
    return actor ?? this.takeSpare(role) ?? this.spawn(role);
  }

  /** Spares are started ahead of need, so a restart finds a process already loaded. */
  private takeSpare(role: Role): ActorProcess | undefined {
    const spare = this.spares[role].find((actor) => actor.alive);
    if (!spare) return undefined;
    this.spares[role] = this.spares[role].filter((actor) => actor !== spare && actor.alive);
    this.spares[role].push(this.spawn(role));
    return spare;
  }

  private spawn(role: Role): ActorProcess {
    this.started++;
    const fresh = ActorProcess.start(role, {
      nodePath: this.nodePath,
      timeoutMs: this.stepTimeoutMs,
      storeModule: role === "gateway" ? this.storeModule : undefined,
    });
    this.everyone.add(fresh);
    return fresh;
  }

  /** Back to the pool for the next run; the next `init` resets it. */
  release(actor: ActorProcess): void {
    if (actor.alive && this.everyone.has(actor)) this.idle[actor.role].push(actor);
  }

  /** Kills the process; a killed gateway is replaced by a spare that starts loading at once. */
  async discard(actor: ActorProcess): Promise<void> {
    await actor.kill();
    this.everyone.delete(actor);
    // Whoever kills once will likely kill again (restarts): keep spares from now on.
    if (!this.closing && this.spares[actor.role].length === 0) {
      this.spares[actor.role] = Array.from({ length: this.spareCount }, () => this.spawn(actor.role));
    }
  }

  /** Pids of every process of this pool that may still be running. */
  pids(): number[] {
    return [...this.everyone].map((actor) => actor.pid);
  }

  private closing = false;

  private reader: SqliteSnapshotReader | undefined;

  /** The warm snapshot reader for a store kept in databases (one per pool, on the children's Node). */
  snapshotReader(files: StoreFiles): SqliteSnapshotReader {
    this.reader ??= new SqliteSnapshotReader(this.nodePath, files);
    return this.reader;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.reader?.close();
    const all = [...this.everyone];
    this.idle.gateway = [];
    this.idle.external = [];
    this.spares = { gateway: [], external: [] };
    await Promise.all(all.map((actor) => this.discard(actor)));
  }
}

/** Runs `use` with a pool that is closed (every child killed) whatever happens. */
export async function withPool<T>(opts: PoolOptions, use: (pool: ActorPool) => Promise<T>): Promise<T> {
  const pool = new ActorPool(opts);
  try {
    return await use(pool);
  } finally {
    await pool.close();
  }
}
