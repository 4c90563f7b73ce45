/** Shared fakes for main/app tests: a Logger that records, and a minimal Electron-style event. */
import { vi, type Mock } from 'vitest';
import type { Logger } from '../../../main/core/log/Logger';

type LogMethod = Logger['info'];

export function fakeLogger(): {
  info: Mock<LogMethod>;
  warn: Mock<LogMethod>;
  error: Mock<LogMethod>;
} {
  return { info: vi.fn<LogMethod>(), warn: vi.fn<LogMethod>(), error: vi.fn<LogMethod>() };
}

/** An Electron `Event<{ url }>` stand-in that records preventDefault(). */
export function fakeNavigationEvent(url: string): {
  url: string;
  prevented: boolean;
  preventDefault(): void;
} {
  const event = {
    url,
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}
