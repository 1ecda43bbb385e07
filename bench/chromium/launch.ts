import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium (or `CHROMIUM_PATH`), headless, with a fake camera and microphone granted without asking. */
export function launchBenchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  })
}
