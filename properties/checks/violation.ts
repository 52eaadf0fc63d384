/** One way a history breaks a property, at a step. */
export type Violation = { step: number; actor: string; message: string };

export const violation = (step: number, actor: string, message: string): Violation => ({ step, actor, message });

export const show = (value: unknown): string => JSON.stringify(value);
