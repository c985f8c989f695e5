// electron-builder configuration of the SmartQueue desktop app (one app, every station role).
// Used by `npm run dist`. Build the Windows installer on Windows and the Linux packages on Linux:
// better-sqlite3 is a native module and is rebuilt for Electron on the build machine.
// test/integration/electron-packaging.test.ts checks this file against the repository.

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'sn.smartqueue.desktop',
  productName: 'SmartQueue',
  copyright: 'SmartQueue contributors, MIT License',
  directories: {
    output: 'release',
    buildResources: 'build',
  },
  // package.json "main" is the server library (server/dist/index.js); the app starts the shell.
  extraMetadata: {
    main: 'electron/dist/main.js',
  },
  files: [
    'package.json',
    'electron/dist/**/*.js',
    'electron/dist/**/*.cjs',
    'electron/static/**/*',
    'server/dist/**/*.js',
    'kiosk-ui/dist/**/*',
    'agent-ui/dist/**/*',
    'display-ui/dist/**/*',
    'build/icons/*.png',
  ],
  asar: true,
  // Native code cannot be loaded from inside app.asar.
  asarUnpack: ['node_modules/better-sqlite3/**/*', '**/*.node'],
  // Rebuild native dependencies (better-sqlite3) against Electron's ABI with @electron/rebuild;
  // prebuilt Electron binaries are used when published, a compile from source otherwise.
  npmRebuild: true,
  nativeRebuilder: 'sequential',
  buildDependenciesFromSource: false,
  // A kiosk must not be turned into a Node.js prompt or debugged through the installed binary.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    onlyLoadAppFromAsar: true,
  },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'build/icons/256x256.png',
  },
  nsis: {
    oneClick: false,
    perMachine: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'SmartQueue',
    runAfterFinish: true,
    // Keep station.json and the branch database when SmartQueue is uninstalled or upgraded.
    deleteAppDataOnUninstall: false,
  },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    icon: 'build/icons',
    category: 'Office',
    maintainer: 'SmartQueue maintainers <maintainers@smartqueue.invalid>',
    synopsis: 'Queue management: branch server, kiosk, counter app and call board',
  },
  publish: null,
};

module.exports = config;
