// Unmounts what each test rendered (Testing Library cleans up by itself
// only when the test runner's globals are on).
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(cleanup);
