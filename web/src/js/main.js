// Starts the console; everything else lives in modules by concern.
import { start } from './app.js';

start(document.getElementById('app'));
