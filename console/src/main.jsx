// The Hawtio console of the camel-outlook365 example: Hawtio's own plugins (Camel, JMX, Runtime, Logs ...) talking
// to the Jolokia endpoint of the same JVM, found on the console's own origin.
import '@hawtio/react/dist/index.css'
import '@patternfly/react-core/dist/styles/base.css'
import { configManager, hawtio, registerPlugins } from '@hawtio/react'
import { Hawtio } from '@hawtio/react/ui'
import React from 'react'
import ReactDOM from 'react-dom/client'

configManager.addProductInfo('camel-outlook365', '0.1.0')
registerPlugins()
hawtio.bootstrap()

ReactDOM.createRoot(document.getElementById('root')).render(
  <React.StrictMode>
    <Hawtio />
  </React.StrictMode>,
)
