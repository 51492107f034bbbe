/**
 * Wires the plugin: commands, the sidebar, the notebook toolbar button.
 *
 * Kept small on purpose: the panel and what the commands do (src/wiring/)
 * live in chunks loaded on first use, so the extension costs JupyterLab's
 * start almost nothing. ARCHITECTURE.md gives the floors of src/.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IToolbarWidgetRegistry,
  Notification
} from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { PageConfig } from '@jupyterlab/coreutils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Panel } from '@lumino/widgets';
import { emrScheduleIcon } from './icons';
import { ScheduleButton } from './scheduleButton';
import type { IActions } from './wiring/actions';
import * as React from 'react';
import type { IAdvancedOptionsProps } from '@jupyterlab/scheduler';
import {
  ADVANCED_OPTIONS_PLUGIN_ID,
  CommandIDs,
  PALETTE_CATEGORY,
  PANEL_ID,
  PLUGIN_ID,
  SAGEMAKER_SCHEDULER_EXTENSION,
  TOOLBAR_ITEM
} from './tokens';
import '../style/start.css';

declare const require: (id: string) => any;

/** The sidebar's shell: its content is built the first time it is shown. */
class LazySidebar extends Panel {
  constructor(private _load: () => Promise<unknown>) {
    super();
  }

  protected onAfterShow(): void {
    void this._load();
  }
}

/** Time the panel's build takes, with room to spare (bench/, panel part). */
const BUILD_MS = 30;
/** Idle periods looked at for one that long before the build is left to the first open. */
const IDLE_TRIES = 40;

/**
 * Runs `task` in an idle period with at least BUILD_MS left. While the user
 * keeps the page busy (typing, scrolling) no such period comes, and after
 * IDLE_TRIES the task is dropped rather than run in the way.
 */
function inIdleTime(task: () => void, tries = IDLE_TRIES): void {
  if (typeof requestIdleCallback !== 'function') {
    return;
  }
  requestIdleCallback(deadline => {
    if (deadline.timeRemaining() >= BUILD_MS) {
      task();
    } else if (tries > 1) {
      inIdleTime(task, tries - 1);
    }
  });
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Schedule notebooks that run Spark on Amazon EMR.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [
    ICommandPalette,
    ILayoutRestorer,
    ILabShell,
    ISettingRegistry,
    IToolbarWidgetRegistry,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    labShell: ILabShell | null,
    settingRegistry: ISettingRegistry | null,
    toolbarRegistry: IToolbarWidgetRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(
      'jupyterlab_emr_schedule'
    );
    /** The settings, read with the panel's code on first use, not at start. */
    const loadSettings = () =>
      settingRegistry
        ? settingRegistry.load(PLUGIN_ID).catch(reason => {
            console.warn(`${PLUGIN_ID}: settings could not be loaded`, reason);
            return null;
          })
        : Promise.resolve(null);

    let actions: Promise<IActions> | null = null;
    const getActions = (): Promise<IActions> => {
      if (!actions) {
        actions = Promise.all([
          import('./wiring/actions'),
          loadSettings()
        ]).then(
          ([module, settings]) =>
            module.createActions({ app, tracker, settings, trans, sidebar }),
          reason => {
            // Loading failed (the server was upgraded or went away): the
            // next use tries again rather than failing for good.
            actions = null;
            throw reason;
          }
        );
      }
      return actions;
    };
    /**
     * Ahead of the panel's first use, once a notebook's toolbar is on the
     * page and JupyterLab is idle: the panel's code is fetched, then the
     * panel is built, hidden, in a long enough idle period, so its first
     * open only shows it.
     */
    let prefetched: Promise<unknown> | null = null;
    const prefetch = () => {
      prefetched ??= getActions().then(
        loaded => inIdleTime(() => loaded.buildPanel()),
        () => {
          prefetched = null;
        }
      );
    };
    /** Runs an action; a failure to load the panel's code becomes a message. */
    const run = async <T>(
      action: (loaded: IActions) => Promise<T> | T
    ): Promise<T | false> => {
      let loaded: IActions;
      try {
        loaded = await getActions();
      } catch (reason) {
        console.error(`${PLUGIN_ID}: the panel could not be loaded`, reason);
        Notification.error(
          trans.__(
            'Schedule with EMR could not load its code (%1). Reload the page and try again.',
            (reason as Error)?.message ?? String(reason)
          ),
          { autoClose: false }
        );
        return false;
      }
      return action(loaded);
    };

    const sidebar = new LazySidebar(() => run(loaded => loaded.mountPanel()));
    sidebar.id = PANEL_ID;
    sidebar.addClass('jp-EmrSchedule-sidebar');
    sidebar.title.icon = emrScheduleIcon;
    sidebar.title.caption = trans.__('Schedule with EMR');
    app.shell.add(sidebar, 'right', { rank: 900 });
    restorer?.add(sidebar, PANEL_ID);

    const hasNotebook = () => tracker.currentWidget !== null;
    /** Resolves once the layout is restored and the browser is idle. */
    const idle = app.restored.then(
      () =>
        new Promise<void>(resolve => {
          if (typeof requestIdleCallback === 'function') {
            requestIdleCallback(() => resolve(), { timeout: 1000 });
          } else {
            setTimeout(resolve, 0);
          }
        })
    );
    const { commands } = app;

    commands.addCommand(CommandIDs.openPanel, {
      label: trans.__('Schedule with EMR'),
      caption: trans.__(
        'Open the Schedule with EMR panel for the active notebook'
      ),
      icon: args => (args['isPalette'] ? undefined : emrScheduleIcon),
      execute: async () => {
        if (labShell && !sidebar.isAttached) {
          app.shell.add(sidebar, 'right', { rank: 900 });
        }
        // Build the form before showing the sidebar, so it is laid out once
        // (the code is usually loaded already: see the button's hover).
        await run(loaded => loaded.mountPanel());
        app.shell.activateById(PANEL_ID);
      }
    });
    /** The commands that run an action of the panel's (loaded on first use). */
    const actionCommands: {
      id: string;
      label: string;
      caption: string;
      needsNotebook: boolean;
      action: (loaded: IActions) => Promise<boolean>;
    }[] = [
      {
        id: CommandIDs.insertConnectCell,
        label: trans.__('Insert EMR Connect Cell'),
        caption: trans.__(
          'Insert or update the Secrets-Manager-backed %sm_analytics connect cell'
        ),
        needsNotebook: true,
        action: loaded => loaded.insertConnectCell()
      },
      {
        id: CommandIDs.createJob,
        label: trans.__('Create Notebook Job with EMR Variables'),
        caption: trans.__(
          "Open the scheduler's Create Job form with the EMR environment variables filled in"
        ),
        needsNotebook: true,
        action: loaded => loaded.createJob()
      },
      {
        id: CommandIDs.testRun,
        label: trans.__('Test the Schedule Now (Test Run)'),
        caption: trans.__(
          "Run the notebook's connection now as the scheduled job will, and show whether it worked in the Runs section"
        ),
        needsNotebook: true,
        action: loaded => loaded.testRun()
      },
      {
        id: CommandIDs.copyEnvVars,
        label: trans.__('Copy EMR Job Environment Variables'),
        caption: trans.__(
          'Copy the job environment variables as NAME=value lines'
        ),
        needsNotebook: false,
        action: loaded => loaded.copyEnvVars()
      },
      {
        id: CommandIDs.insertRedshiftCell,
        label: trans.__('Insert Redshift Connector Cell (IAM)'),
        caption: trans.__(
          'Write PySpark cells that read or write Redshift with IAM credentials'
        ),
        needsNotebook: true,
        action: loaded => loaded.insertRedshiftCell()
      },
      {
        id: CommandIDs.checkNotebook,
        label: trans.__('Check Notebook for Unattended Runs'),
        caption: trans.__(
          'Find what would fail when the notebook runs as a scheduled job'
        ),
        needsNotebook: true,
        action: loaded => loaded.checkNotebook()
      },
      {
        id: CommandIDs.showPolicies,
        label: trans.__('Show IAM Policies for EMR Jobs and Redshift'),
        caption: trans.__(
          'The secret resource policies and role policies, filled with this server’s identity'
        ),
        needsNotebook: false,
        action: loaded => loaded.showPolicies()
      }
    ];
    for (const command of actionCommands) {
      commands.addCommand(command.id, {
        label: command.label,
        caption: command.caption,
        isEnabled: command.needsNotebook ? hasNotebook : undefined,
        execute: () => run(command.action)
      });
    }

    if (palette) {
      for (const command of [
        CommandIDs.showPolicies,
        CommandIDs.checkNotebook,
        CommandIDs.openPanel,
        CommandIDs.insertConnectCell,
        CommandIDs.createJob,
        CommandIDs.testRun,
        CommandIDs.copyEnvVars,
        CommandIDs.insertRedshiftCell
      ]) {
        palette.addItem({
          command,
          category: trans.__(PALETTE_CATEGORY),
          args: { isPalette: true }
        });
      }
    }

    toolbarRegistry?.addFactory<NotebookPanel>(
      'Notebook',
      TOOLBAR_ITEM,
      panel => {
        const button = new ScheduleButton(
          {
            icon: emrScheduleIcon,
            label: trans.__('Schedule with EMR'),
            tooltip: trans.__(
              'Schedule with EMR: connect cell, job environment variables and checks'
            ),
            onClick: () => void commands.execute(CommandIDs.openPanel)
          },
          trans,
          () => void getActions().catch(() => undefined),
          idle,
          prefetch
        );
        button.watch(panel);
        return button;
      }
    );

    tracker.currentChanged.connect(() => {
      for (const command of actionCommands) {
        if (command.needsNotebook) {
          commands.notifyCommandChanged(command.id);
        }
      }
    });
  }
};

function federatedExtensionNames(): string[] {
  try {
    const data = JSON.parse(
      PageConfig.getOption('federated_extensions') || '[]'
    );
    return (data as { name: string }[]).map(e => e.name);
  } catch {
    return [];
  }
}

/** The editor's code, fetched when a Create Job form first shows it. */
const LazyAdvancedOptions = React.lazy(() =>
  import('./scheduler/advancedOptions').then(m => ({
    default: m.AdvancedOptions
  }))
);

function AdvancedOptionsOnDemand(props: IAdvancedOptionsProps) {
  return React.createElement(
    React.Suspense,
    { fallback: React.createElement('div', { role: 'status' }, '…') },
    React.createElement(LazyAdvancedOptions, props)
  );
}

/**
 * Our "Additional options" for open-source jupyter-scheduler. SageMaker's
 * plugin has its own Environment variables field, so we stay out of its way.
 * The scheduler is optional: without it, the shared module's require throws
 * and only this plugin is left out.
 */
function advancedOptionsPlugins(): JupyterFrontEndPlugin<any>[] {
  if (federatedExtensionNames().includes(SAGEMAKER_SCHEDULER_EXTENSION)) {
    return [];
  }
  let scheduler: typeof import('@jupyterlab/scheduler');
  try {
    scheduler = require('@jupyterlab/scheduler');
  } catch {
    return [];
  }
  return [
    {
      id: ADVANCED_OPTIONS_PLUGIN_ID,
      description:
        'Create Job "Additional options" with an Environment variables editor.',
      autoStart: true,
      provides: scheduler.Scheduler.IAdvancedOptions,
      activate: () => AdvancedOptionsOnDemand
    }
  ];
}

export default [plugin, ...advancedOptionsPlugins()];
