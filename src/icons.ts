import { LabIcon } from '@jupyterlab/ui-components';

// A calendar with a spark: scheduling Spark work.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M19 4h-1V2h-2v2H8V2H6v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 16H5V9h14v11z"/>
    <path d="M12.5 10.5l-3.5 5h2.5l-1 3.5 3.5-5h-2.5z"/>
  </g>
</svg>`;

export const emrScheduleIcon = new LabIcon({
  name: 'jupyterlab-emr-schedule:icon',
  svgstr: svg
});
