// The versions the doctor is told for each oracle.
/** The real apiserver (Debian's 1.20.2 source, built with Debian's Go 1.19). */
export const V120 = '1.20.2';
/** Debian sid's golang-k8s-apiserver-dev 0.36.4, built with Go 1.27. */
export const V136 = '1.36.4';
