import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Built into target/classes/hawtio so the console jar carries it; the example serves it at /hawtio/
export default defineConfig({
  base: '/hawtio/',
  plugins: [react()],
  build: {
    outDir: 'target/classes/hawtio',
    emptyOutDir: true,
    chunkSizeWarningLimit: 20000,
    sourcemap: false,
  },
})
