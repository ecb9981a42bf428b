export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
export const AUTH_LOGGER = Symbol('AUTH_LOGGER');
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
