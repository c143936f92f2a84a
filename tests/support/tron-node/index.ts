export { type Block, MAINNET_GENESIS_ID, SHASTA_GENESIS_ID, TronChain } from './chain.js';
export { TRON_KEYS, tronAddressOf, tronWebFor } from './client.js';
export { encodeRawData, recoverSigner, toBase58, toHex41 } from './encoding.js';
export { TronNode, type TronNodeOptions } from './server.js';
export { ENERGY_TRANSFER_EXISTING_HOLDER, ENERGY_TRANSFER_NEW_HOLDER } from './state.js';
