// The wire protocol shared by relay and page: see docs/protocol.md.
export * from './limits';
export * from './schema';
export * from './deviceFrame';
export * from './relayMessage';
export * from './backoff';
export * from './embedParent';
export * from './touch';
export * from './striker';
