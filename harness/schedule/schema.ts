import { z } from "zod";

const Json: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(Json), z.record(z.string(), Json)]),
);
export const SessionKey = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "a session key: lowercase letters, digits, -");
const Fields = z
  .record(z.string().regex(/^(?!sessionId$|updatedAt$|acp$)[a-zA-Z][a-zA-Z0-9]*$/), Json)
  .describe("free fields to set on the entry (not sessionId, updatedAt or acp)");
const Acp = z.record(z.string(), Json).describe("an ACP binding, opaque JSON");
const AcpPart = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), Json)
  .refine((part) => Object.keys(part).length > 0, "at least one field")
  .describe("fields of an ACP binding to set, the others kept");

export const GatewayId = z.string().regex(/^g[0-9]$/, 'a gateway id: "g0".."g9"');
export const ExternalId = z.string().regex(/^x[0-9]$/, 'an external actor id: "x0".."x9"');
export const CheckpointSchema = z.enum(["after-load", "before-rename"]);

/** One in-process writer operation: each is one `updateSessionStore` call in a gateway. */
export const WriterOp = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("merge"), key: SessionKey, set: Fields }),
  z.strictObject({ op: z.literal("merge-noop") }),
  z.strictObject({ op: z.literal("merge-throw"), key: SessionKey }),
  z.strictObject({ op: z.literal("replace-entry"), key: SessionKey, set: Fields }),
  z.strictObject({ op: z.literal("delete-entry"), key: SessionKey }),
  z.strictObject({ op: z.literal("acp-bind"), key: SessionKey, acp: Acp }),
  z.strictObject({ op: z.literal("acp-drop"), key: SessionKey }),
  z
    .strictObject({ op: z.literal("acp-set"), key: SessionKey, set: AcpPart })
    .describe("change part of the entry's ACP binding (its state, a runtime option); no binding, no change"),
]);

const gateway = { actor: GatewayId };
const pausable = {
  pause: CheckpointSchema.optional().describe("hold the writer at this checkpoint until a resume step"),
};

export const GatewayStep = z.union([
  ...WriterOp.options.map((option) => option.extend({ ...gateway, ...pausable })),
  z.strictObject({ ...gateway, op: z.literal("batch"), ops: z.array(WriterOp).min(2).max(8) }),
  z.strictObject({ ...gateway, op: z.literal("read"), skipCache: z.boolean() }),
  z.strictObject({ ...gateway, op: z.literal("resume") }),
  z.strictObject({ ...gateway, op: z.literal("restart") }),
]);

/** A change an external process makes to the parsed store before writing it back. */
export const ExternalChange = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("set"), key: SessionKey, set: Fields }),
  z.strictObject({ kind: z.literal("remove"), key: SessionKey }),
  z.strictObject({ kind: z.literal("bind-acp"), key: SessionKey, acp: Acp }),
]);

const external = { actor: ExternalId };
export const ExternalStep = z.discriminatedUnion("op", [
  z.strictObject({ ...external, op: z.literal("write"), changes: z.array(ExternalChange).min(1) }),
  z.strictObject({ ...external, op: z.literal("delete-file"), how: z.enum(["unlink", "rename-away"]) }),
  z.strictObject({
    ...external,
    op: z.literal("same-second-edit"),
    sameSize: z.boolean(),
    changes: z.array(ExternalChange).min(1),
  }),
  z.strictObject({ ...external, op: z.literal("rewrite-in-place"), changes: z.array(ExternalChange).min(1) }),
  z.strictObject({ ...external, op: z.literal("bad-edit"), kind: z.enum(["invalid-json", "empty"]) }),
]);

export const ClockStep = z.strictObject({
  actor: z.literal("clock"),
  op: z.literal("tick"),
});

export const Step = z.union([GatewayStep, ExternalStep, ClockStep]);

export const ScheduleOptions = z.strictObject({
  gateways: z.number().int().min(1).max(10),
  externals: z.number().int().min(0).max(10),
  coarseClock: z.boolean().default(false).describe("every write's mtime is a whole second of a virtual clock"),
  throwingEmitter: z.boolean().default(false).describe("gateways install a tripwire emitter that throws"),
  initial: z
    .record(SessionKey, z.record(z.string(), Json))
    .nullable()
    .default(null)
    .describe("the store file before step 0; null = no file"),
});

/**
 * A schedule is plain data: options and a list of steps, each naming its actor and operation.
 * This zod schema is the single definition of one: the `Schedule` and `Step` types, the
 * validation of every schedule the runner is handed or a scenario file holds, and the
 * `schedule` part of scenarios/schema.json (generated from the scenario schema that embeds
 * this one, properties/scenario/json-schema.ts) all come from it.
 *
 * @example
 * { options: { gateways: 1, externals: 1 },
 *   steps: [ { actor: "g0", op: "merge", key: "a", set: { note: "x" } },
 *            { actor: "x0", op: "write", changes: [ { kind: "set", key: "b", set: { note: "y" } } ] },
 *            { actor: "g0", op: "merge", key: "a", set: { note: "z" } } ] }
 */
export const ScheduleSchema = z.strictObject({
  options: ScheduleOptions,
  steps: z.array(Step),
});

export type Json = unknown;
export type WriterOp = z.infer<typeof WriterOp>;
export type GatewayStep = z.infer<typeof GatewayStep>;
export type ExternalChange = z.infer<typeof ExternalChange>;
export type ExternalStep = z.infer<typeof ExternalStep>;
export type ClockStep = z.infer<typeof ClockStep>;
export type Step = z.infer<typeof Step>;
export type ScheduleOptions = z.infer<typeof ScheduleOptions>;
export type Schedule = z.infer<typeof ScheduleSchema>;
export type ScheduleInput = z.input<typeof ScheduleSchema>;
export type CheckpointName = z.infer<typeof CheckpointSchema>;

/** Whether an actor name (`g0`, `x1`, …) names a gateway; the one place the naming rule lives. */
export const isGatewayActor = (actor: string): boolean => actor.startsWith("g");

export const isGatewayStep = (step: Step): step is GatewayStep => isGatewayActor(step.actor);
