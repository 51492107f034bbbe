/** The network check: the facts, the evaluator and CIDR arithmetic (no JupyterLab, no AWS). */
export * from './cidr';
export * from './evaluate';
export * from './facts';
export * from './choices';
