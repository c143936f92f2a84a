export { type CallbackRejection, CallbackVerificationError, type KeyFile, parseKeyFile, type VerifiedCallback, verifyCallback } from '@paygate/protocol';
export {
  type CallbackHandlerOptions,
  createCallbackHandler,
  type FastifyLike,
  readRawBody,
  registerFastifyCallbackRoute,
  verifyExpressCallback,
} from './callbacks.js';
export {
  type Balance,
  type DepositAddress,
  type Me,
  Paygate,
  type PaygateOptions,
  type RequestOptions,
  type SupportedCurrency,
  type Transaction,
  type TransactionPage,
} from './client.js';
export { PaygateApiError, PaygateConnectionError, type ProblemDocument } from './errors.js';
