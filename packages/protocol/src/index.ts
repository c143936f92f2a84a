export {
  akashicSignature,
  type CallbackRejection,
  type CallbackSigningInput,
  CallbackVerificationError,
  SECRET_PREFIX,
  signCallback,
  standardWebhookSignature,
  type VerifiedCallback,
  verifyCallback,
} from './callback-signature.js';
export { canonicalJson } from './canonical-json.js';
export { checkContentDigest, contentDigest, type DigestCheck } from './content-digest.js';
export { KEY_FILE_TYPE, type KeyFile, parseKeyFile, serializeKeyFile } from './key-file.js';
export type {
  Balance,
  CallbackPayload,
  DepositAddress,
  DepositUrl,
  SupportedCurrency,
  Transaction,
  TransactionCallbackKind,
  TransactionCallbackPayload,
  TransactionPage,
  VerificationCallbackPayload,
} from './payloads.js';
export {
  assertPortableBody,
  isPortableBody,
  isPortableText,
  NonPortableBodyError,
  PORTABLE_KEY,
  PORTABLE_MAX_DEPTH,
  PORTABLE_TEXT,
  type PortableBodyRule,
  type PortableBodyViolation,
  portableBodyViolations,
  toPortableText,
} from './portable-body.js';
export {
  BODY_DIGEST_COMPONENT,
  componentValue,
  type HttpRequestParts,
  importVerifyKey,
  type ParsedSignature,
  parseSignatureHeaders,
  REQUIRED_COMPONENTS,
  type RequestToSign,
  SIGNATURE_ALGORITHM,
  SIGNATURE_LABEL,
  SignatureFormatError,
  type SignatureParameters,
  type SignOptions,
  signatureBase,
  signRequest,
  verifyRequestSignature,
  verifyRequestSignatureAsync,
} from './request-signature.js';
