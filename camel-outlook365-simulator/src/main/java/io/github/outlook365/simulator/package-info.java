/**
 * A local, stateful HTTPS stand-in for Microsoft Entra ID and the mail part of Microsoft Graph v1.0.
 *
 * <h2>Endpoints (all under {@link io.github.outlook365.simulator.Outlook365Simulator#baseUrl()})</h2>
 * <ul>
 * <li>Entra: {@code POST /{tenant}/oauth2/v2.0/token} (client credentials, secret in the form or as Basic, or a
 * certificate's client assertion: RS256/PS256 signature by a certificate registered for the app and named by its
 * x5t or x5t#S256 header, iss = sub = client id, aud = this token endpoint, nbf/exp; refusals AADSTS700027 (unknown
 * key, bad signature, expired certificate), 700021, 700023, 700024; an expired secret answers AADSTS7000222),
 * the authorization_code grant (PKCE S256/plain verified, code redeemable once: AADSTS54005, 501481, 70008) and the
 * refresh_token grant (rotating: a used refresh token answers AADSTS70008; revoked sessions AADSTS50173; more scopes
 * than granted AADSTS65001 consent_required), both also under /common and /organizations;
 * {@code GET /{tenant}/oauth2/v2.0/authorize} (an HTML sign-in page: pick a user of the app's tenant, Accept or
 * Cancel; the form POSTs back to the same path, which redirects to the registered redirect_uri with code and state,
 * or error=access_denied), {@code GET /{tenant}/adminconsent} and {@code /{tenant}/v2.0/adminconsent} (redirect with
 * admin_consent=True&amp;tenant&amp;state),
 * {@code GET /{tenant}/v2.0/.well-known/openid-configuration}, {@code GET /{tenant}/discovery/v2.0/keys},
 * {@code GET /common/discovery/instance}. MSAL4J works against it with
 * {@code .authority(baseUrl + "/" + tenant + "/").instanceDiscovery(false).sslSocketFactory(...)}: without
 * {@code instanceDiscovery(false)} MSAL4J asks login.microsoftonline.com for instance metadata.</li>
 * <li>Graph: {@code /v1.0/users/{upn|id}}, {@code .../mailFolders}, {@code .../mailFolders/{idOrWellKnownName}},
 * {@code .../mailFolders/{f}/messages} ($select, $top, $skip, $orderby, $count, simple $filter),
 * {@code .../mailFolders/{f}/messages/delta}, {@code POST .../mailFolders} and
 * {@code GET|POST .../mailFolders/{f}/childFolders} (nested folders, 409 ErrorFolderExists),
 * {@code .../messages} (GET with $search, POST = create a draft) and {@code .../messages/{id}} (GET, PATCH,
 * DELETE = move to Deleted Items), {@code POST .../messages/{id}/move} and {@code .../copy} (new id, as in Graph),
 * {@code POST .../messages/{id}/reply|replyAll|forward} (a new message in each simulated recipient's Inbox and in
 * Sent Items), {@code POST .../messages/{id}/send} (drafts), {@code GET .../messages/{id}/attachments} ($select),
 * {@code POST .../messages/{id}/attachments}, {@code GET .../attachments/{aid}} and {@code .../$value},
 * {@code POST .../attachments/createUploadSession} with ranged {@code PUT}s to its uploadUrl (under
 * {@code /api/v2.0/}, no bearer token, nextExpectedRanges, 320 KiB multiples, 4 MiB at most, 150 MB in all),
 * {@code GET .../messages/{id}/$value} (MIME), {@code GET|PATCH .../mailboxSettings} (automatic replies),
 * {@code POST .../sendMail}.</li>
 * <li>Graph calendar ({@link io.github.outlook365.simulator.CalendarApi}): {@code GET/POST .../calendars},
 * {@code GET .../calendars/{id}} and {@code .../calendar} (the default), {@code GET/POST .../events} and
 * {@code .../calendars/{id}/events}, {@code GET/PATCH/DELETE .../events/{id}} (an occurrence id works too: PATCH
 * makes it an exception, DELETE cancels it), {@code GET .../events/{id}/instances},
 * {@code POST .../events/{id}/accept|decline|tentativelyAccept|cancel|forward},
 * {@code GET .../calendarView} and {@code .../calendars/{id}/calendarView} (startDateTime, endDateTime, $top,
 * $skip; recurring series expanded: daily, weekly, absoluteMonthly, absoluteYearly),
 * {@code GET .../calendarView/delta} and {@code .../calendars/{id}/calendarView/delta},
 * {@code POST .../findMeetingTimes}. {@code Prefer: outlook.timezone="..."} (Windows or IANA names) sets the zone of
 * start/end in answers, UTC otherwise. Meetings: creating an event with attendees that are simulated mailboxes puts a
 * copy in their default calendar and an eventMessageRequest in their Inbox; accept/decline/tentativelyAccept update
 * the organiser's attendee status and deliver an eventMessageResponse; cancel (or the organiser's DELETE) marks the
 * copies cancelled and delivers a meetingCancelled eventMessage. GET message supports
 * {@code $expand=microsoft.graph.eventMessage/event}. Reading needs Calendars.Read or Calendars.ReadWrite, writing
 * Calendars.ReadWrite. Tests create and change events directly with {@link
 * io.github.outlook365.simulator.Outlook365Simulator#calendars()}.</li>
 * <li>Change notifications ({@link io.github.outlook365.simulator.SubscriptionsApi}): {@code POST /subscriptions}
 * for {@code users/{id}/messages}, {@code users/{id}/mailFolders('{id}')/messages}, {@code users/{id}/events},
 * {@code .../calendar/events}, {@code .../calendars/{id}/events} (and {@code me/...}), changeType
 * created/updated/deleted, at most 10,080 minutes, after the validation handshake with notificationUrl and
 * lifecycleNotificationUrl (200 text/plain echo within 10 s, else 400 ValidationError); {@code GET}, {@code PATCH}
 * (renew), {@code DELETE /subscriptions/{id}}, {@code POST /subscriptions/{id}/reauthorize}; a notification per
 * change of a watched folder or calendar, with its clientState; expiry; the lifecycle notifications
 * reauthorizationRequired (notifications held back until reauthorized or renewed), subscriptionRemoved and missed.
 * Leniency for tests: {@code http://localhost} notification URLs are accepted.</li>
 * <li>Control (no auth, not recorded): {@code GET /_simulator/health}; {@code POST /_simulator/reset};
 * {@code POST /_simulator/apps {tenantId,clientId,clientSecret,roles?}};
 * {@code POST /_simulator/tokens/revoke {tenantId,clientId}} (an app's tokens) or {@code {tenantId,upn,expire?}}
 * (a user's sign-in sessions: refresh tokens then answer AADSTS50173, or AADSTS70008 with expire=true); {@code POST /_simulator/tokens/lifetime {seconds}};
 * {@code POST /_simulator/mailboxes {tenantId,upn,displayName}};
 * {@code POST /_simulator/mailboxes/{upn}/messages {folder?,from,to,cc,subject,body,importance?,receivedDateTime?,
 * isRead?}} &rarr; 201 {"id"}; {@code PATCH /_simulator/mailboxes/{upn}/messages/{id} {isRead}};
 * {@code GET /_simulator/mailboxes/{upn}/messages/{id}} &rarr; the message (Graph's shape: flag, categories,
 * parentFolderId, ...); {@code DELETE /_simulator/mailboxes/{upn}/messages/{id}};
 * {@code POST /_simulator/mailboxes/{upn}/messages/{id}/move {destinationFolder}};
 * {@code GET /_simulator/mailboxes/{upn}/folders} &rarr; {"value":[mailFolder...]} (every folder, nested ones too);
 * {@code GET /_simulator/mailboxes/{upn}/folders/{name}} &rarr; {"id"};
 * {@code GET /_simulator/mailboxes/{upn}/folders/{name}/messages} &rarr; {"value":[...]};
 * {@code GET /_simulator/mailboxes/{upn}/maxConcurrentRequests} &rarr; {"max"};
 * {@code POST /_simulator/mailboxes/{upn}/deltaReset};
 * {@code POST /_simulator/faults {method,pathRegex,status,code,times,retryAfterSeconds,mode,stallMillis}} (mode
 * INSTEAD, AFTER_CARRIED_OUT or STALLED_BODY, see {@link io.github.outlook365.simulator.SimFault});
 * {@code POST /_simulator/latency {pathRegex,latencyMillis}};
 * {@code GET /_simulator/requests/count?method=&path=} &rarr; {"count"}; {@code GET /_simulator/requests};
 * {@code DELETE /_simulator/requests};
 * {@code GET /_simulator/subscriptions} &rarr; {"value":[subscription...]};
 * {@code POST /_simulator/subscriptions/{id}/lifecycle {lifecycleEvent}};
 * {@code POST /_simulator/subscriptions/{id}/expire}; {@code POST /_simulator/notifications/drop {count}} (the next
 * change notifications are lost).</li>
 * </ul>
 *
 * <h2>Where each behaviour comes from</h2>
 * Each class serves one resource ({@code UsersApi}, {@code MailFoldersApi}, {@code MessagesApi}, {@code SendMailApi},
 * {@code EventsApi}, {@code CalendarViewApi}, {@code MeetingsApi}, ...; {@code GraphApi} and {@code CalendarApi} route
 * to them), and each handler says where its behaviour comes from: {@code // docs:} the Microsoft documentation page it
 * follows, {@code // observed:} what Graph or Entra ID was seen to do where no page says it, {@code // simulator:} what
 * only the simulator does (delivering into simulated mailboxes). Where a page and the simulator differ, the simulator
 * is fixed; where the component would rely on an {@code observed} behaviour, the component is changed instead.
 *
 * <h2>Behaviour worth knowing</h2>
 * <ul>
 * <li>Delegated tokens carry {@code scp} and {@code upn}: {@code /me} is the signed-in user's mailbox (app-only
 * tokens on /me get 400); another mailbox needs FullAccess ({@code grantMailboxAccess}) and the .Shared scope
 * (Mail.Read.Shared, Mail.Send.Shared, ...); otherwise 403 ErrorAccessDenied, as when scp lacks the permission.
 * Java API for tests: {@code registerWebApp}, {@code grantMailboxAccess}, {@code revokeSignInSessions},
 * {@code expireRefreshTokens}, {@code issueRefreshToken}, {@code activeRefreshTokens}, {@code adminConsented}.</li>
 * <li>Every Graph request needs a Bearer token issued by this simulator; tokens reach only mailboxes of their
 * tenant. Reading needs Mail.Read or Mail.ReadWrite, PATCH/DELETE/move Mail.ReadWrite, sendMail Mail.Send, GET user
 * User.Read.All.</li>
 * <li>At most 4 Graph requests of one app may be in flight for one mailbox; the 5th gets 429 ApplicationThrottled
 * with Retry-After: 1 at once (without the configured latency).</li>
 * <li>Delta: links carry only $skiptoken/$deltatoken; the state (select, filter, orderby, changeType, watermark) is
 * kept by the server. Skip and delta links can be replayed. A well-formed token the simulator does not know (or one
 * issued before {@code forceDeltaReset}) answers 410 syncStateNotFound with a Location header holding the initial
 * delta URL; a malformed token answers 400 syncStateInvalid.</li>
 * <li>The client secret is never echoed: recorded token requests show {@code client_secret=***} and
 * {@code Authorization: Basic ***}.</li>
 * <li>{@link io.github.outlook365.simulator.CapturedLogs} captures the log lines of a test (on Log4j 2), to assert that
 * a route logged something or that no secret reached the log. Users test their routes with the test kit
 * ({@code camel-outlook365-test}), which starts this simulator for them.</li>
 * </ul>
 */
package io.github.outlook365.simulator;
