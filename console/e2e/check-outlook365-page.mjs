// Opens the console's Outlook 365 page of a running example in headless Debian Chromium and checks what an operator
// looks for: the connection with its state, the log-received-mail trigger, and, once the caller broke the connection,
// the BROKEN state with its sign-in link and a working "Check" button.
//
// Usage: node e2e/check-outlook365-page.mjs <baseUrl> <screenshotDir>
// Prints "CONNECTION <state>" and "TRIGGER <route> <trigger>" once the page shows them, then "READY": the caller then
// breaks the connection. The page refreshes itself; once it shows BROKEN the script prints "BROKEN <sign-in link>" and
// "HINT <where the setup token is>", takes the screenshot outlook365-broken.png, presses "Check" and prints
// "CHECKED <outcome>". Exit code 0 when all was seen.
import { openPage } from './chromium.mjs'
import { mkdirSync } from 'node:fs'

const [baseUrl, screenshotDir] = process.argv.slice(2)
mkdirSync(screenshotDir, { recursive: true })
const { browser, page } = await openPage()

let status = 1
try {
  await page.goto(`${baseUrl}/hawtio/outlook365`)
  const connection = page.locator('[data-testid=connection-row]').first()
  await connection.waitFor({ timeout: 60000 })
  console.log('CONNECTION', await connection.getAttribute('data-state'))
  const trigger = page.locator('[data-testid=trigger-row][data-route=log-received-mail]')
  await trigger.waitFor({ timeout: 60000 })
  const cells = await trigger.locator('td').allInnerTexts()
  const name = await trigger.locator('td[data-label=Trigger]').innerText()
  console.log('TRIGGER', 'log-received-mail', name.split('\n')[0])
  console.log('CELLS', cells.map(c => c.replace(/\s+/g, ' ').trim()).join(' | '))
  await page.screenshot({ path: `${screenshotDir}/outlook365-connected.png` })
  console.log('READY')

  // the caller breaks the connection now; the page refreshes itself until it shows it
  const broken = page.locator('[data-testid=connection-row][data-state=BROKEN]').first()
  await broken.waitFor({ timeout: 60000 })
  const link = broken.locator('[data-testid=sign-in-link]')
  await link.waitFor({ timeout: 30000 })
  console.log('BROKEN', await link.getAttribute('href'))
  console.log('HINT', (await broken.locator('[data-testid=sign-in-hint]').innerText()).replace(/\s+/g, ' ').trim())
  console.log('REASON', (await broken.locator('[data-testid=reason]').innerText()).replace(/\s+/g, ' ').trim())
  await page.screenshot({ path: `${screenshotDir}/outlook365-broken.png` })

  await broken.getByRole('button', { name: 'Check' }).click()
  const outcome = page.locator('[data-testid=operation-outcome]')
  await outcome.waitFor({ timeout: 30000 })
  console.log('CHECKED', (await outcome.innerText()).replace(/\s+/g, ' ').trim())
  status = 0
} catch (e) {
  console.log('FAILED', e.message)
  await page.screenshot({ path: `${screenshotDir}/outlook365-failure.png` })
} finally {
  await browser.close()
}
process.exit(status)
