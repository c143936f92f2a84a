export { PaygateApiError, type ProblemDocument } from './errors.js';
