// What a command returns (docs/spec.md, "CLI"): 0 done, 1 an operational failure, 2 bad usage or input.
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
