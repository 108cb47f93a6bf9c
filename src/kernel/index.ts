export * from './kernel-error';
export * from './currencies';
export * from './decimal';
export * from './money';
export * from './quantity';
export * from './business-date';
export * from './ids';
