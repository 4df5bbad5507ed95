/**
 * Forecast and risk alerts (seed Art 15; docs/supervision.md#forecast): months and working days
 * (months.ts), the methods (methods.ts), the backtest that chooses between them (backtest.ts), the ladder
 * (ladder.ts) and the alerts (alerts.ts).
 */
export * from './months.js';
export * from './ladder.js';
export * from './alerts.js';
