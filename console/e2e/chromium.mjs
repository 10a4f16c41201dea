// Debian's Chromium, headless, as both browser checks drive it (never a downloaded browser).
import { chromium } from 'playwright-core'

export async function openPage() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  })
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.on('pageerror', e => console.log('PAGE-ERROR', e.message))
  return { browser, page }
}
