// ESLint: unused and unreachable code, and the mistakes typescript-eslint's recommended rules catch.
// Formatting is Biome's (biome.json); the layer order is test/layers.test.ts's.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "bench/out/", ".data/", "coverage/"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // `ok && count++` and `a ? x() : y()` as statements are house style.
      "@typescript-eslint/no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
    },
  },
  {
    // Tests read the JSON payloads of fake protocol servers (Discord, LLM APIs) as they come.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
