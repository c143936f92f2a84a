/** Every API secret starts with this (Standard Webhooks' convention); the rest is base64. */
export const SECRET_PREFIX = 'whsec_';
