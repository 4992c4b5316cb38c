export function msToLocalMidnight(now?: Date): number;
export function startOnOneDay(needMs: number, log?: (line: string) => void, now?: Date, sleep?: (ms: number) => Promise<void>): Promise<number>;
