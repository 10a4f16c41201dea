// The Hawtio console of the camel-outlook365 example: an Outlook 365 page (connections and triggers) beside Hawtio's
// own plugins (Camel, JMX, Runtime, Logs ...), talking to the Jolokia endpoint of the same JVM on the console's origin.
import '@hawtio/react/dist/index.css'
import '@patternfly/react-core/dist/styles/base.css'
import { configManager, hawtio, registerPlugins } from '@hawtio/react'
import { Hawtio } from '@hawtio/react/ui'
import React from 'react'
import ReactDOM from 'react-dom/client'
import { outlook365 } from './outlook365'

configManager.addProductInfo('camel-outlook365', '0.1.0')
outlook365()
registerPlugins()
hawtio.bootstrap()

ReactDOM.createRoot(document.getElementById('root')).render(
  <React.StrictMode>
    <Hawtio />
  </React.StrictMode>,
)
