// The Outlook 365 page: each connection of the component (its JMX view, org.apache.camel:type=outlook365) and each
// trigger (Camel's consumer MBean of an outlook365: endpoint), read through the console's Jolokia and refreshed at
// Hawtio's update rate. An attribute a running version does not have yet shows as "—".
//
// A route on many mailboxes (accounts= or accountsGroup=) has one consumer MBean, its MailboxesConsumer (Mailboxes,
// LeftOut, BatchRequests, BatchedReads); its mailboxes' own triggers have none, so its row counts the route's exchanges
// (the route's MBean). What only some triggers have (push, Graph's throttling, a shared state in a cluster, the
// mailboxes of such a route) shows as labels in the Status cell and in full in the row's expandable detail; a
// single-mailbox polling trigger has neither.
import { jolokiaService } from '@hawtio/react'
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  ExpandableSection,
  Label,
  LabelGroup,
  PageSection,
  Title,
} from '@patternfly/react-core'
import { ExpandableRowContent, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table'
import React, { useCallback, useEffect, useState } from 'react'

const NONE = '—'
const STATE_COLORS = { CONNECTED: 'green', DEGRADED: 'orange', BROKEN: 'red' }

function text(value) {
  return value === undefined || value === null || value === '' ? NONE : String(value)
}

function time(value) {
  if (value === undefined || value === null || value === '') {
    return NONE
  }
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString()
}

// a time of today as its time of day only (a short label), else as time() does
function clock(value) {
  const date = new Date(value)
  if (Number.isNaN(date.getTime()) || date.toDateString() !== new Date().toDateString()) {
    return time(value)
  }
  return date.toLocaleTimeString()
}

function age(seconds) {
  if (seconds === undefined || seconds === null || seconds < 0) {
    return NONE
  }
  if (seconds < 120) {
    return `${seconds} s`
  }
  if (seconds < 7200) {
    return `${Math.round(seconds / 60)} min`
  }
  return `${Math.round(seconds / 3600)} h`
}

// outlook365://mail/received?folder=inbox -> mail/received
function triggerOf(endpointUri) {
  return endpointUri.replace(/^outlook365:(\/\/)?/, '').replace(/\?.*$/, '')
}

async function readAll(pattern) {
  const names = await jolokiaService.search(pattern)
  const beans = await Promise.all(
    names.map(async mbean => ({ mbean, attributes: await jolokiaService.readAttributes(mbean) })),
  )
  return beans.sort((a, b) => a.mbean.localeCompare(b.mbean))
}

// the consumer of a route on many mailboxes (MailboxesConsumer) rather than a trigger of one mailbox
function onManyMailboxes(a) {
  return a.Mailboxes !== undefined && a.TriggerName === undefined
}

// MailboxesConsumer.LeftOut is a Java map's text, {a@x=why, b@x=why}: its mailboxes with why, [] when none
function leftOutOf(value) {
  const inner = (value || '').trim().replace(/^\{/, '').replace(/\}$/, '').trim()
  if (!inner) {
    return []
  }
  return inner.split(/, (?=[^\s,=]+=)/).map(entry => {
    const at = entry.indexOf('=')
    return at < 0 ? { mailbox: entry, why: '' } : { mailbox: entry.slice(0, at), why: entry.slice(at + 1) }
  })
}

// a route on many mailboxes fires through its mailboxes' triggers, which have no MBean: its route's counters say it
async function withRouteCounts(trigger) {
  const a = trigger.attributes
  if (!onManyMailboxes(a) || !a.RouteId) {
    return trigger
  }
  let route
  try {
    const routes = await jolokiaService.search(`org.apache.camel:type=routes,name="${a.RouteId}",*`)
    if (routes.length === 0) {
      return trigger
    }
    route = await jolokiaService.readAttributes(routes[0])
  } catch {
    // a route that just went away: the row shows its own attributes, the rest of the page stays
    return trigger
  }
  return {
    ...trigger,
    attributes: {
      ...a,
      FiredCount: route.ExchangesCompleted,
      LastFiredAt: route.LastExchangeCompletedTimestamp || null,
    },
  }
}

async function load() {
  const connections = await readAll('org.apache.camel:type=outlook365,*')
  const consumers = await readAll('org.apache.camel:type=consumers,*')
  const triggers = consumers.filter(c => {
    const uri = c.attributes.EndpointUri || ''
    return uri.startsWith('outlook365:') && !triggerOf(uri).startsWith('connection/')
  })
  return { connections, triggers: await Promise.all(triggers.map(withRouteCounts)) }
}

function StateLabel({ state }) {
  return state ? <Label color={STATE_COLORS[state] || 'grey'}>{state}</Label> : NONE
}

// clientId@tenant/account (delegated) or clientId@tenant (app-only: all the app's mailboxes) -> its parts, for a
// narrow column
function nameParts(name) {
  const match = /^([^@/]*)@([^/]*)(?:\/(.*))?$/.exec(name || '')
  if (!match) {
    return { mailbox: text(name) }
  }
  return { app: match[1], tenant: match[2], mailbox: match[3] === undefined ? match[2] : match[3] }
}

// a connection's mailboxes: how many its app reads and writes, and how many of them are in trouble (their last Graph
// call failed), with why behind a toggle (the most recent first)
function Mailboxes({ count, inTrouble, trouble }) {
  if (count === undefined || count === null) {
    return NONE
  }
  const lines = (trouble || '').split('\n').filter(line => line.trim())
  return (
    <>
      <span data-testid='mailbox-count'>{count}</span>
      {inTrouble > 0 ? (
        <div data-testid='mailbox-trouble'>
          <Label color='orange' isCompact data-testid='mailbox-in-trouble'>
            {inTrouble} in trouble
          </Label>
          {lines.length > 0 ? (
            <ExpandableSection toggleTextCollapsed='why' toggleTextExpanded='hide' data-testid='mailbox-trouble-why'>
              {/* narrow: a long Graph error must not squeeze the other columns */}
              <div style={{ maxWidth: '22em', overflowWrap: 'anywhere' }}>
                {lines.map(line => (
                  <div key={line} data-testid='mailbox-trouble-line'>
                    <small>{line}</small>
                  </div>
                ))}
              </div>
            </ExpandableSection>
          ) : null}
        </div>
      ) : null}
    </>
  )
}

function Connections({ connections, onOperation, busy }) {
  if (connections.length === 0) {
    return <Content component='p'>No Outlook 365 connection is open in this JVM yet (a route opens it when it starts).</Content>
  }
  return (
    <Table aria-label='Outlook 365 connections' variant='compact' data-testid='connections'>
      <Thead>
        <Tr>
          <Th width={25}>Connection</Th>
          <Th width={15} modifier='wrap'>State</Th>
          <Th width={30}>Reason</Th>
          <Th width={10} modifier='wrap'>Mailboxes</Th>
          <Th width={15} modifier='wrap'>Token / certificate expires</Th>
          <Th modifier='wrap'>Fix it</Th>
          <Th screenReaderText='Operations' />
        </Tr>
      </Thead>
      <Tbody>
        {connections.map(({ mbean, attributes: a }) => {
          const name = nameParts(a.Name)
          return (
            <Tr key={mbean} data-testid='connection-row' data-state={a.State}>
              <Td dataLabel='Connection' modifier='breakWord'>
                <strong>{name.mailbox}</strong>
                <div>
                  <small>
                    {name.tenant && name.tenant !== name.mailbox ? `${name.tenant} · ` : ''}
                    {name.app ? `app ${name.app} · ` : ''}
                    {text(a.AuthMode)}
                  </small>
                </div>
              </Td>
              <Td dataLabel='State'>
                <StateLabel state={a.State} />
                <div>
                  <small>since {time(a.Since)}</small>
                </div>
              </Td>
              <Td dataLabel='Reason' data-testid='reason'>{text(a.Reason)}</Td>
              <Td dataLabel='Mailboxes' data-testid='mailboxes'>
                <Mailboxes count={a.Mailboxes} inTrouble={a.MailboxesInTrouble} trouble={a.Trouble} />
              </Td>
              <Td dataLabel='Token / certificate expires'>
                <div>token {time(a.TokenExpiresAt)}</div>
                <div>certificate {time(a.CertificateExpiresAt)}</div>
              </Td>
              <Td dataLabel='Fix it' modifier='wrap'>
                {a.State === 'BROKEN' && a.ConsentUrl ? (
                  <>
                    <a href={a.ConsentUrl} target='_blank' rel='noreferrer' data-testid='sign-in-link'>
                      {a.AuthMode === 'authorizationCode' ? 'Sign in again' : 'Admin consent'}
                    </a>
                    {a.AuthMode === 'authorizationCode' ? (
                      // the sign-in page starts a sign-in only with the one-time setup token, which only the log has
                      <div data-testid='sign-in-hint'>
                        <small>open it with the setup token from the log (logger outlook365.setup)</small>
                      </div>
                    ) : null}
                  </>
                ) : (
                  NONE
                )}
              </Td>
              <Td dataLabel='Operations' modifier='nowrap'>
                <Button variant='secondary' size='sm' isDisabled={busy} onClick={() => onOperation(mbean, 'check()')}>
                  Check
                </Button>{' '}
                <Button variant='secondary' size='sm' isDisabled={busy} onClick={() => onOperation(mbean, 'reconnect()')}>
                  Reconnect
                </Button>
              </Td>
            </Tr>
          )
        })}
      </Tbody>
    </Table>
  )
}

// NotificationStatus: "off: ..." (notification=none) says nothing a polling trigger's row needs
function pushOf(status) {
  if (!status || status.startsWith('off:') || status === 'stopped') {
    return null
  }
  if (status.startsWith('push:')) {
    return { label: 'push', color: 'blue' }
  }
  if (status.startsWith('polling')) {
    return { label: 'polling, no push', color: 'orange' }
  }
  return { label: 'push pending', color: 'grey' }
}

// a trigger with a shared state (stateDataSource): LeaderEpoch is -1 and Node empty without one
function clusterOf(a) {
  return (a.LeaderEpoch !== undefined && a.LeaderEpoch >= 0) || !!a.Node || a.Fenced === true
}

// what only some triggers have, as compact labels (none for a single-mailbox polling trigger)
function notes(a) {
  const labels = []
  const push = pushOf(a.NotificationStatus)
  if (push) {
    labels.push({ key: 'push', ...push })
  }
  if (a.ThrottledUntil) {
    labels.push({ key: 'throttled', label: `throttled until ${clock(a.ThrottledUntil)}`, color: 'orange' })
  }
  if (a.Fenced === true) {
    labels.push({ key: 'cluster', label: `fenced: ${a.LeaderNode || 'another node'} leads`, color: 'red' })
  } else if (clusterOf(a)) {
    labels.push({ key: 'cluster', label: `leader · epoch ${text(a.LeaderEpoch)}`, color: 'green' })
  }
  if (onManyMailboxes(a)) {
    const leftOut = leftOutOf(a.LeftOut).length
    if (leftOut > 0) {
      labels.push({ key: 'left-out', label: `${leftOut} left out`, color: 'orange' })
    }
  }
  return labels
}

// the row's expandable detail: each field that applies to the trigger, in full
function details(a) {
  const rows = []
  const push = pushOf(a.NotificationStatus)
  if (push) {
    rows.push(['Notifications', a.NotificationStatus])
  }
  if (a.ThrottledUntil) {
    rows.push(['Throttled until', `${time(a.ThrottledUntil)} (Graph's Retry-After; the mailbox's polls pause)`])
  }
  if (clusterOf(a)) {
    // LeaderEpoch is this node's epoch: once fenced, the leader took a later one
    rows.push(['Leader', `${text(a.LeaderNode)}${a.LeaderNode && a.LeaderNode === a.Node ? ' (this node)' : ''}`])
    rows.push([
      'This node',
      `${text(a.Node)} · epoch ${text(a.LeaderEpoch)}${
        a.Fenced ? ' · fenced: fires and commits nothing until its route starts again' : ''
      }`,
    ])
  }
  if (onManyMailboxes(a)) {
    const leftOut = leftOutOf(a.LeftOut)
    rows.push(['Mailboxes watched', text(a.Mailboxes)])
    rows.push([
      'Left out',
      leftOut.length === 0
        ? 'none'
        : leftOut.map(l => (
            <div key={l.mailbox} data-testid='left-out-mailbox'>
              <strong>{l.mailbox}</strong>
              {l.why ? `: ${l.why}` : ''}
            </div>
          )),
    ])
    rows.push(['$batch requests', `${text(a.BatchRequests)} (${text(a.BatchedReads)} mailbox reads in them)`])
  }
  return rows
}

function Triggers({ triggers }) {
  const [expanded, setExpanded] = useState(() => new Set())
  if (triggers.length === 0) {
    return <Content component='p'>No Outlook 365 trigger runs in this JVM.</Content>
  }
  const rows = triggers.map(trigger => ({ ...trigger, labels: notes(trigger.attributes), detail: details(trigger.attributes) }))
  // the column of the detail toggles only when a row has a detail: a page of polling triggers stays as it was
  const expandable = rows.some(r => r.detail.length > 0)
  const toggle = mbean =>
    setExpanded(previous => {
      const next = new Set(previous)
      next.has(mbean) ? next.delete(mbean) : next.add(mbean)
      return next
    })
  return (
    <Table aria-label='Outlook 365 triggers' variant='compact' data-testid='triggers'>
      <Thead>
        <Tr>
          {expandable ? <Th screenReaderText='Details' /> : null}
          <Th modifier='wrap'>Route</Th>
          <Th modifier='wrap'>Trigger</Th>
          <Th modifier='wrap'>Connection</Th>
          <Th modifier='wrap'>Last fired</Th>
          <Th modifier='wrap'>Mails fired</Th>
          <Th modifier='wrap'>Cursor age</Th>
          <Th modifier='wrap'>Waiting after a failure</Th>
          <Th modifier='wrap'>Parked</Th>
          <Th modifier='wrap'>Status</Th>
        </Tr>
      </Thead>
      {rows.map(({ mbean, attributes: a, labels, detail }, rowIndex) => {
        const isExpanded = detail.length > 0 && expanded.has(mbean)
        const many = onManyMailboxes(a)
        return (
          <Tbody key={mbean} isExpanded={isExpanded}>
            <Tr data-testid='trigger-row' data-route={a.RouteId}>
              {expandable ? (
                <Td
                  dataLabel='Details'
                  expand={detail.length > 0 ? { rowIndex, isExpanded, onToggle: () => toggle(mbean) } : undefined}
                />
              ) : null}
              <Td dataLabel='Route'>{text(a.RouteId)}</Td>
              <Td dataLabel='Trigger'>
                {text(a.TriggerName || triggerOf(a.EndpointUri))}
                {a.Scope ? <div><small>{a.Scope}{a.Account ? ` of ${a.Account}` : ''}</small></div> : null}
                {many ? (
                  <div data-testid='mailboxes-watched'>
                    <small>
                      {text(a.Mailboxes)} mailboxes · {text(a.BatchRequests)} $batch requests
                    </small>
                  </div>
                ) : null}
              </Td>
              <Td dataLabel='Connection' modifier='breakWord'>
                {/* the mailbox is the Trigger cell's: the app names the connection (in full on hover) */}
                <span title={a.ConnectionName}>
                  {nameParts(a.ConnectionName).app ? `app ${nameParts(a.ConnectionName).app}` : text(a.ConnectionName)}
                </span>{' '}
                {a.ConnectionState ? <StateLabel state={a.ConnectionState} /> : null}
              </Td>
              <Td dataLabel='Last fired'>{time(a.LastFiredAt)}</Td>
              <Td dataLabel='Mails fired'>{text(a.FiredCount)}</Td>
              <Td dataLabel='Cursor age'>{many ? 'per mailbox' : age(a.CursorAgeSeconds)}</Td>
              <Td dataLabel='Waiting after a failure'>{text(a.WaitingAfterFailure)}</Td>
              <Td dataLabel='Parked'>{text(a.ParkedCount)}</Td>
              <Td dataLabel='Status'>
                {text(a.State)}
                {labels.length > 0 ? (
                  <div>
                    <LabelGroup numLabels={4}>
                      {labels.map(l => (
                        <Label key={l.key} color={l.color} isCompact data-testid={`note-${l.key}`}>
                          {l.label}
                        </Label>
                      ))}
                    </LabelGroup>
                  </div>
                ) : null}
              </Td>
            </Tr>
            {detail.length > 0 ? (
              <Tr isExpanded={isExpanded} data-testid='trigger-detail' data-route={a.RouteId}>
                <Td />
                <Td colSpan={9}>
                  <ExpandableRowContent>
                    <DescriptionList isHorizontal isCompact>
                      {detail.map(([term, description]) => (
                        <DescriptionListGroup key={term}>
                          <DescriptionListTerm>{term}</DescriptionListTerm>
                          <DescriptionListDescription data-testid={`detail-${term.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}`}>{description}</DescriptionListDescription>
                        </DescriptionListGroup>
                      ))}
                    </DescriptionList>
                  </ExpandableRowContent>
                </Td>
              </Tr>
            ) : null}
          </Tbody>
        )
      })}
    </Table>
  )
}

export function Outlook365Page() {
  const [data, setData] = useState(null)
  const [error, setError] = useState(null)
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState(null)

  const refresh = useCallback(async () => {
    try {
      setData(await load())
      setError(null)
    } catch (e) {
      setError(jolokiaService.errorMessage(e) || String(e))
    }
  }, [])

  useEffect(() => {
    refresh()
    const timer = setInterval(refresh, Math.max(1000, jolokiaService.loadUpdateRate() || 5000))
    return () => clearInterval(timer)
  }, [refresh])

  const operate = async (mbean, operation) => {
    setBusy(true)
    try {
      const state = await jolokiaService.execute(mbean, operation)
      setOutcome(`${operation.replace('()', '')}: ${state}`)
    } catch (e) {
      setOutcome(`${operation.replace('()', '')} failed: ${jolokiaService.errorMessage(e) || e}`)
    } finally {
      setBusy(false)
      refresh()
    }
  }

  return (
    <PageSection>
      <Title headingLevel='h1'>Outlook 365</Title>
      {error ? <Alert variant='danger' isInline title={`Cannot read the Outlook 365 MBeans: ${error}`} /> : null}
      {outcome ? (
        <Alert variant='info' isInline isPlain title={<span data-testid='operation-outcome'>{outcome}</span>} />
      ) : null}
      <Card isPlain>
        <CardTitle>Connections</CardTitle>
        <CardBody>
          {data ? <Connections connections={data.connections} onOperation={operate} busy={busy} /> : 'Loading…'}
        </CardBody>
      </Card>
      <Card isPlain>
        <CardTitle>Triggers</CardTitle>
        <CardBody>{data ? <Triggers triggers={data.triggers} /> : 'Loading…'}</CardBody>
      </Card>
    </PageSection>
  )
}
