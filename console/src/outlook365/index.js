// A Hawtio plugin: the Outlook 365 page at /hawtio/outlook365, first in the sidebar.
import { hawtio } from '@hawtio/react'
import { Outlook365Page } from './Outlook365Page.jsx'

export const outlook365 = () => {
  hawtio.addPlugin({
    id: 'outlook365',
    title: 'Outlook 365',
    path: '/outlook365',
    order: 5,
    component: Outlook365Page,
    // the page itself says when no connection or trigger runs yet
    isActive: async () => true,
  })
}
