export { mediationCase } from './mediation-case.js';
