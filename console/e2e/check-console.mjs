// Opens the Hawtio console of a running example in headless Debian Chromium and checks what a user looks for: the
// Camel context, the routes with their outlook365: endpoints, and a route's completed-exchange counter rising.
//
// Usage: node e2e/check-console.mjs <baseUrl> <screenshotDir> <contextName> <routeId>
// Prints "COUNT <n>" once it has read the route's Completed count from the console, then waits (the console refreshes
// itself) for it to rise and prints "ROSE <n>"; the caller delivers a mail in between. Exit code 0 when all was seen.
import { openPage } from './chromium.mjs'
import { mkdirSync } from 'node:fs'

const [baseUrl, screenshotDir, contextName, routeId] = process.argv.slice(2)
mkdirSync(screenshotDir, { recursive: true })
const { browser, page } = await openPage()

async function completed() {
  const headers = await page.locator('table thead th').allInnerTexts()
  const column = headers.findIndex(h => h.trim().startsWith('Completed'))
  const row = page.locator('table tbody tr', { hasText: routeId }).first()
  const cells = await row.locator('td').allInnerTexts()
  return Number.parseInt(cells[column], 10)
}

let status = 1
try {
  await page.goto(`${baseUrl}/hawtio/camel/routes`)
  await page.getByText(contextName, { exact: true }).first().waitFor({ timeout: 60000 })
  console.log('CONTEXT', contextName)
  await page.locator('table tbody tr', { hasText: routeId }).first().waitFor({ timeout: 60000 })
  const tree = await page.locator('body').innerText()
  const endpoints = tree.split(/\s+/).filter(t => t.startsWith('outlook365://'))
  console.log('ENDPOINTS', endpoints.join(' '))
  if (endpoints.length === 0) throw new Error('no outlook365: endpoint in the console')
  await page.screenshot({ path: `${screenshotDir}/console-routes.png` })
  const before = await completed()
  console.log('COUNT', before)
  const deadline = Date.now() + 60000
  let now = before
  while (now <= before && Date.now() < deadline) {
    await page.waitForTimeout(1000)
    now = await completed()
  }
  if (now <= before) throw new Error(`the Completed count of ${routeId} stayed at ${before}`)
  console.log('ROSE', now)
  await page.screenshot({ path: `${screenshotDir}/console-routes-after-mail.png` })
  status = 0
} catch (e) {
  console.log('FAILED', e.message)
  await page.screenshot({ path: `${screenshotDir}/console-failure.png` })
} finally {
  await browser.close()
}
process.exit(status)
