// Opens the console's Outlook 365 page of a running example in headless Debian Chromium and checks what users of push,
// clusters and many mailboxes look for: a trigger's push subscription, a route on many mailboxes as one row (mailboxes
// watched, left out, $batch requests), a trigger's leadership in a shared state, and, once the caller throttled a
// mailbox, that trigger's "throttled until" and the connection's mailboxes in trouble.
//
// Usage: node e2e/check-outlook365-triggers.mjs <baseUrl> <screenshotDir> <pushRoute> <manyRoute> <clusterRoute> <quietRoute> <throttledMailbox> <fencedRoute>
// Prints, once the page shows them: "PUSH <label>", "NOTIFICATIONS <detail>", "MANY <trigger cell>", "WATCHED <n>",
// "LEFT-OUT <mailbox: why>" (each), "BATCHES <detail>", "CLUSTER <label>", "LEADER <detail>", "NODE <detail>",
// "QUIET <status cell> <labels> <toggles>" of a single-mailbox polling trigger (it has neither), "MAILBOXES <the
// connection's Mailboxes cell>", then "READY": the caller then
// throttles the cluster route's mailbox, delivers a mail to one of manyRoute's, and has another node take fencedRoute
// (a second trigger with a shared state) over. The page refreshes itself; once it shows it the script prints
// "THROTTLED <label>", "TROUBLE <the connection's trouble line of throttledMailbox>", "IN-TROUBLE <label>",
// "MANY-FIRED <mails fired> <last fired>", "FENCED <label>", "FENCED-LEADER <detail>", "FENCED-NODE <detail>" and takes the screenshot outlook365-triggers.png.
// Exit code 0 when all was seen.
import { openPage } from './chromium.mjs'
import { mkdirSync } from 'node:fs'

const [baseUrl, screenshotDir, pushRoute, manyRoute, clusterRoute, quietRoute, throttledMailbox, fencedRoute] = process.argv.slice(2)
mkdirSync(screenshotDir, { recursive: true })
const { browser, page } = await openPage()

const flat = s => s.replace(/\s+/g, ' ').trim()
const row = route => page.locator(`[data-testid=trigger-row][data-route="${route}"]`)
const detail = route => page.locator(`[data-testid=trigger-detail][data-route="${route}"]`)

// opens a row's detail (its toggle in the first cell) and returns it
async function expand(route) {
  const toggle = row(route).locator('td').first().locator('button')
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
    await toggle.click()
  }
  const shown = detail(route)
  await shown.waitFor({ state: 'visible', timeout: 30000 })
  return shown
}

async function label(route, key) {
  const note = row(route).locator(`[data-testid=note-${key}]`)
  await note.waitFor({ timeout: 60000 })
  return flat(await note.innerText())
}

let status = 1
try {
  await page.goto(`${baseUrl}/hawtio/outlook365`)
  await page.locator('[data-testid=connection-row]').first().waitFor({ timeout: 60000 })

  // push: the label once the trigger subscribed, the subscription in its detail
  await page.locator(`[data-testid=trigger-row][data-route="${pushRoute}"] [data-testid=note-push]`, { hasText: /^push$/ })
    .waitFor({ timeout: 60000 })
  console.log('PUSH', await label(pushRoute, 'push'))
  console.log('NOTIFICATIONS', flat(await (await expand(pushRoute)).locator('[data-testid=detail-notifications]').innerText()))

  // many mailboxes: one row, its mailboxes watched, those left out and its $batch requests
  await row(manyRoute).waitFor({ timeout: 60000 })
  console.log('MANY', flat(await row(manyRoute).locator('td[data-label=Trigger]').innerText()))
  const many = await expand(manyRoute)
  console.log('WATCHED', flat(await many.locator('[data-testid=detail-mailboxes-watched]').innerText()))
  for (const leftOut of await many.locator('[data-testid=left-out-mailbox]').allInnerTexts()) {
    console.log('LEFT-OUT', flat(leftOut))
  }
  console.log('BATCHES', flat(await many.locator('[data-testid=detail-batch-requests]').innerText()))

  // a shared state: the leadership label, the leader and this node in the detail
  console.log('CLUSTER', await label(clusterRoute, 'cluster'))
  const cluster = await expand(clusterRoute)
  console.log('LEADER', flat(await cluster.locator('[data-testid=detail-leader]').innerText()))
  console.log('NODE', flat(await cluster.locator('[data-testid=detail-this-node]').innerText()))

  // a single-mailbox polling trigger stays as it was: no label, no toggle
  const quiet = row(quietRoute)
  await quiet.waitFor({ timeout: 60000 })
  console.log('QUIET', flat(await quiet.locator('td[data-label=Status]').innerText()),
    await quiet.locator('[data-testid^=note-]').count(), await quiet.locator('td').first().locator('button').count())
  console.log('MAILBOXES', flat(await page.locator('[data-testid=connection-row] [data-testid=mailboxes]').first().innerText()))
  console.log('READY')

  // the caller throttles the cluster route's mailbox now; the page refreshes itself until it shows it
  console.log('THROTTLED', await label(clusterRoute, 'throttled'))
  console.log('THROTTLED-DETAIL', flat(await (await expand(clusterRoute)).locator('[data-testid=detail-throttled-until]').innerText()))
  // the connection's mailboxes in trouble, with why behind their toggle
  await page.locator('[data-testid=connection-row] [data-testid=mailbox-in-trouble]').first().waitFor({ timeout: 60000 })
  await page.locator('[data-testid=connection-row] [data-testid=mailbox-trouble-why] button').first().click()
  const trouble = page.locator('[data-testid=connection-row] [data-testid=mailbox-trouble-line]', { hasText: throttledMailbox }).first()
  await trouble.waitFor({ timeout: 60000 })
  console.log('TROUBLE', flat(await trouble.innerText()))
  console.log('IN-TROUBLE', flat(await page.locator('[data-testid=connection-row] [data-testid=mailbox-in-trouble]').first().innerText()))
  // and the mail the caller delivered to one of manyRoute's mailboxes counts in its row (its route's exchanges)
  const fired = row(manyRoute).locator('td[data-label="Mails fired"]')
  const deadline = Date.now() + 60000
  while (!(Number.parseInt(await fired.innerText(), 10) > 0) && Date.now() < deadline) {
    await page.waitForTimeout(500)
  }
  console.log('MANY-FIRED', flat(await fired.innerText()), flat(await row(manyRoute).locator('td[data-label="Last fired"]').innerText()))
  // and the trigger another node took over: fenced, with the leader it saw
  await page.locator(`[data-testid=trigger-row][data-route="${fencedRoute}"] [data-testid=note-cluster]`, { hasText: /^fenced/ })
    .waitFor({ timeout: 60000 })
  console.log('FENCED', await label(fencedRoute, 'cluster'))
  const fenced = await expand(fencedRoute)
  console.log('FENCED-LEADER', flat(await fenced.locator('[data-testid=detail-leader]').innerText()))
  console.log('FENCED-NODE', flat(await fenced.locator('[data-testid=detail-this-node]').innerText()))
  // the screenshot (the README's): the rows with their labels, the detail of the route on many mailboxes open (the
  // others and the connection's trouble closed again); the
  // page scrolls inside Hawtio's layout, so the window is as tall as the page
  await page.locator('[data-testid=connection-row] [data-testid=mailbox-trouble-why] button').first().click()
  for (const route of [pushRoute, clusterRoute, fencedRoute]) {
    await row(route).locator('td').first().locator('button').click()
    await detail(route).waitFor({ state: 'hidden', timeout: 30000 })
  }
  await page.setViewportSize({ width: 1440, height: 1600 })
  await page.evaluate(() => document.querySelectorAll('*').forEach(e => e.scrollTop > 0 && e.scrollTo(0, 0)))
  await page.screenshot({ path: `${screenshotDir}/outlook365-triggers.png` })
  status = 0
} catch (e) {
  console.log('FAILED', e.message)
  await page.screenshot({ path: `${screenshotDir}/outlook365-triggers-failure.png` })
} finally {
  await browser.close()
}
process.exit(status)
