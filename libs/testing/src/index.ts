export { startTestCluster, type TestCluster, type TestClusterOptions } from './test-cluster';
// the polling and HTTP helpers live in the launcher (it waits the same way); tests import them from here
export { waitFor, WaitAbortError, type WaitForOptions, httpJson, httpRequest, HttpError, type HttpResponse, type HttpRequestOptions, findFreePort, findFreePorts, isAlive } from '@agora/launcher';
export { TestFramework, type TestTask } from './test-framework';
export { useTestDocker, busyboxImage, TEST_IMAGE, type TestDocker } from './test-docker';
