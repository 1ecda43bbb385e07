// The few jose functions token checks use, in a module of their own: imported statically here so
// bundlers tree-shake jose, and loaded dynamically by verifyHelloToken so apps without `auth` can
// split it out of their first download.
export { createLocalJWKSet, createRemoteJWKSet, importJWK, importSPKI, jwtVerify } from 'jose'
