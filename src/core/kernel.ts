/**
 * Which kind of kernel a notebook runs, as far as the connect cell cares.
 *
 * SparkMagic kernels (PySpark, Spark) send plain code to the remote Spark
 * session; only `%`-prefixed cells and `%%local` cells run in the local
 * IPython. Everything else is treated as an IPython kernel.
 */

export type KernelFamily = 'sparkmagic' | 'ipython';

export interface IKernelSpecLike {
  name?: string | null;
  display_name?: string | null;
  language?: string | null;
}

export function kernelFamily(
  spec: IKernelSpecLike | null | undefined
): KernelFamily {
  const name = `${spec?.name ?? ''} ${spec?.display_name ?? ''}`;
  return /spark/i.test(name) ? 'sparkmagic' : 'ipython';
}
