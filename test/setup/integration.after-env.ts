// Real servers answer in milliseconds but start in seconds; a time-skipping test jumps weeks in seconds.
jest.setTimeout(120_000);
