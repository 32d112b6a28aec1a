/** Every prompt of the pipeline with its version (stored with every output it produces). */
export * from './cleanup';
export * from './quality';
export * from './persona';
export * from './critic';
export * from './privacy';
export * from './item';
export * from './demographics';
