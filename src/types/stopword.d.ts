// stopword ships no type declarations; these are the parts Docent uses.
declare module 'stopword' {
  /** English stop words, lower case. */
  export const eng: readonly string[];
  /** German stop words, lower case. */
  export const deu: readonly string[];
}
