/**
 * The calendar triggers (created, updated, deleted over calendarView delta; startingSoon; invitationReceived and
 * responseReceived over the Inbox's delta) and the calendar actions, each implementing {@code CalendarAction} and
 * registered with its Graph permission in {@link io.github.outlook365.camel.calendar.CalendarOperations}; and what
 * they share: reading an event a route gives ({@code EventInput}), times and time zones without moving them
 * ({@code CalendarTimes}), calendars by name ({@code Calendars}) and the headers the triggers set
 * ({@code EventHeaders}).
 */
package io.github.outlook365.camel.calendar;
