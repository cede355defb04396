import type { SpApiTransport } from './request';

/** The scope of the grantless rotation operation (application_2023-11-30.json, Amazon's notes). */
export const CLIENT_SECRET_ROTATION_SCOPE = 'sellingpartnerapi::client_credential:rotation';

/**
 * Application Management API 2023-11-30. The application is global: any region's host serves it, so the
 * North American one is used.
 */
export class ApplicationClient {
  constructor(private readonly transport: SpApiTransport) {}

  /**
   * Asks Amazon for a new client secret. The answer is 204 with no body: the new secret arrives as an
   * APPLICATION_OAUTH_CLIENT_NEW_SECRET notification on the queue registered in the Developer Console (a
   * 400 `InvalidInput` when none is).
   */
  async rotateApplicationClientSecret(): Promise<void> {
    await this.transport.send({
      operation: 'rotateApplicationClientSecret',
      method: 'POST',
      path: '/applications/2023-11-30/clientSecret',
      region: 'na',
      auth: { grantlessScope: CLIENT_SECRET_ROTATION_SCOPE },
    });
  }
}
