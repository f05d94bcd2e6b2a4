/**
 * The mocha globals @web/test-runner provides, declared here because @types/mocha is not a
 * dependency of the workspace. Only what the tests use.
 */
type MochaDone = (error?: unknown) => void;
type MochaFn = (this: unknown, done: MochaDone) => void | Promise<unknown>;
type MochaAsyncFn = (this: unknown) => void | Promise<unknown>;

declare function describe(title: string, fn: () => void): void;
declare function it(title: string, fn: MochaFn | MochaAsyncFn): void;
declare function before(fn: MochaAsyncFn): void;
declare function after(fn: MochaAsyncFn): void;
declare function beforeEach(fn: MochaAsyncFn): void;
declare function afterEach(fn: MochaAsyncFn): void;
