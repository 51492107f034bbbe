/**
 * The Network section on JupyterLab 4.6 with open-source jupyter-scheduler:
 * jobs run on the Jupyter server's own machine, so the section shows the
 * server's own probe of the cluster's primary node. The test seeds two
 * clusters in the local AWS whose primary node is this machine (tagged so,
 * demo/local_aws_network.py: PRIMARY_NODE_NAME_TAG) and whose livy-conf puts
 * Livy on a port the test listens on, and on one nothing listens on.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { expect, test } from './fixtures';
import { openDemoNotebook, toggleOf } from './helpers';

const STATE = path.resolve(__dirname, '../../../.demo/galata');
const PRIMARY_NODE_NAME_TAG = 'local-aws:primary-node-name';

/** RunJobFlow against the local AWS (it reads the service from the credential scope). */
async function seedCluster(name: string, livyPort: number): Promise<string> {
  const endpoint = fs
    .readFileSync(path.join(STATE, 'local-aws'), 'utf8')
    .trim();
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'ElasticMapReduce.RunJobFlow',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/elasticmapreduce/aws4_request, SignedHeaders=host, Signature=0'
    },
    body: JSON.stringify({
      Name: name,
      ReleaseLabel: 'emr-7.1.0',
      Applications: [{ Name: 'Spark' }, { Name: 'Livy' }],
      Configurations: [
        {
          Classification: 'livy-conf',
          Properties: { 'livy.server.port': String(livyPort) }
        }
      ],
      Instances: {
        InstanceGroups: [
          {
            Name: 'Primary',
            InstanceRole: 'MASTER',
            InstanceType: 'm5.xlarge',
            InstanceCount: 1
          }
        ],
        KeepJobFlowAliveWhenNoSteps: true
      },
      JobFlowRole: 'EMR_EC2_DefaultRole',
      ServiceRole: 'EMR_DefaultRole',
      Tags: [{ Key: PRIMARY_NODE_NAME_TAG, Value: 'localhost' }]
    })
  });
  expect(response.ok, await response.clone().text()).toBe(true);
  return ((await response.json()) as { JobFlowId: string }).JobFlowId;
}

function listen(): Promise<net.Server> {
  return new Promise(resolve => {
    const server = net.createServer(socket => socket.destroy());
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

test('the section shows the server’s probe of the primary node: a port that listens and one that does not', async ({
  page,
  tmpPath
}) => {
  const livy = await listen();
  const closed = await listen();
  const closedPort = portOf(closed);
  await new Promise(resolve => closed.close(resolve));
  try {
    const open = await seedCluster('probe-listening', portOf(livy));
    const refused = await seedCluster('probe-closed', closedPort);

    await openDemoNotebook(page, tmpPath, 'python-emr.ipynb');
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('emr-schedule:open-panel')
    );
    const panel = page.locator('.jp-EmrSchedule-panel');
    await panel.getByLabel('EMR cluster id').fill(open);

    const section = panel.locator('.jp-EmrSchedule-network');
    const toggle = toggleOf(section);
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    // Keyboard: the section opens with Enter.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');

    await expect(section).toContainText('this Jupyter server’s own machine');
    const lines = section.getByRole('list', {
      name: 'Connects from this server'
    });
    const line = lines.locator('[data-path="livy"]');
    await expect(line).toHaveAttribute(
      'aria-label',
      `Livy (localhost:${portOf(livy)}): reachable`
    );
    await expect(line).toContainText(`accepts TCP ${portOf(livy)}`);
    await expect(toggle.locator('.jp-EmrSchedule-count')).toHaveText(
      'reachable'
    );
    await page.screenshot({
      path: path.resolve(
        __dirname,
        '../test-results/network-section-reachable.png'
      )
    });

    // Another cluster: its Livy port refuses the connect, told apart from a timeout.
    await panel.getByLabel('EMR cluster id').fill(refused);
    const refusedLine = lines.locator('[data-path="livy"]');
    await expect(refusedLine).toHaveAttribute(
      'aria-label',
      `Livy (localhost:${closedPort}): blocked`
    );
    await expect(refusedLine).toContainText(`refused TCP ${closedPort}`);
    await expect(refusedLine).toContainText('nothing listens on that port');
    await expect(toggle.locator('.jp-EmrSchedule-count')).toHaveText('blocked');
    await expect(refusedLine).toContainText('Fix: The node answers');
    await refusedLine.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.resolve(__dirname, '../test-results/network-section.png')
    });
  } finally {
    await new Promise(resolve => livy.close(resolve));
  }
});
