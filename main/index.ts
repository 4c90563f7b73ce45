// Electron entry: wiring only (see main/app/). Placeholder until the shell lands.
import { app } from 'electron';

void app.whenReady().then(() => app.quit());
