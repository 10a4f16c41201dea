// The Outlook 365 page: each connection of the component (its JMX view, org.apache.camel:type=outlook365) and each
// trigger (Camel's consumer MBean of an outlook365: endpoint), read through the console's Jolokia and refreshed at
// Hawtio's update rate. An attribute a running version does not have yet shows as "—".
import { jolokiaService } from '@hawtio/react'
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  Content,
  Label,
  PageSection,
  Title,
} from '@patternfly/react-core'
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table'
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

async function load() {
  const connections = await readAll('org.apache.camel:type=outlook365,*')
  const consumers = await readAll('org.apache.camel:type=consumers,*')
  const triggers = consumers.filter(c => {
    const uri = c.attributes.EndpointUri || ''
    return uri.startsWith('outlook365:') && !triggerOf(uri).startsWith('connection/')
  })
  return { connections, triggers }
}

function StateLabel({ state }) {
  return state ? <Label color={STATE_COLORS[state] || 'grey'}>{state}</Label> : NONE
}

// clientId@tenant/account -> its parts, for a narrow column
function nameParts(name) {
  const match = /^([^@]*)@([^/]*)\/(.*)$/.exec(name || '')
  return match ? { app: match[1], tenant: match[2], mailbox: match[3] } : { mailbox: text(name) }
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
                    {name.tenant ? `${name.tenant} · app ${name.app} · ` : ''}
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

function Triggers({ triggers }) {
  if (triggers.length === 0) {
    return <Content component='p'>No Outlook 365 trigger runs in this JVM.</Content>
  }
  return (
    <Table aria-label='Outlook 365 triggers' variant='compact' data-testid='triggers'>
      <Thead>
        <Tr>
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
      <Tbody>
        {triggers.map(({ mbean, attributes: a }) => (
          <Tr key={mbean} data-testid='trigger-row' data-route={a.RouteId}>
            <Td dataLabel='Route'>{text(a.RouteId)}</Td>
            <Td dataLabel='Trigger'>
              {text(a.TriggerName || triggerOf(a.EndpointUri))}
              {a.Scope ? <div><small>{a.Scope}{a.Account ? ` of ${a.Account}` : ''}</small></div> : null}
            </Td>
            <Td dataLabel='Connection' modifier='breakWord'>
              {text(a.ConnectionName)} {a.ConnectionState ? <StateLabel state={a.ConnectionState} /> : null}
            </Td>
            <Td dataLabel='Last fired'>{time(a.LastFiredAt)}</Td>
            <Td dataLabel='Mails fired'>{text(a.FiredCount)}</Td>
            <Td dataLabel='Cursor age'>{age(a.CursorAgeSeconds)}</Td>
            <Td dataLabel='Waiting after a failure'>{text(a.WaitingAfterFailure)}</Td>
            <Td dataLabel='Parked'>{text(a.ParkedCount)}</Td>
            <Td dataLabel='Status'>{text(a.State)}</Td>
          </Tr>
        ))}
      </Tbody>
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
