/** wink-lemmatizer ships no types: WordNet's morphy with its exception lists, one function per part of speech. */
declare module "wink-lemmatizer" {
  const lemmatizer: {
    noun(word: string): string;
    verb(word: string): string;
    adjective(word: string): string;
  };
  export default lemmatizer;
}
