// Types for yearCalendar.mjs.
export declare const YEAR_SHAPE: {
  days: number; weekdayCalls: number; weekendCalls: number; projects: number; callsPerSession: number;
  codexShare: number; codexCallsPerSession: number; workStartHour: number; workEndHour: number;
};
export declare function localDay(d: Date): string;
export declare function yesterdayLocal(now?: Date): string;
export interface YearDay { day: string; weekend: boolean; calls: number; codexCalls: number; workStartMs: number; workEndMs: number }
export declare function yearDays(endDay: string, scale?: number): YearDay[];
