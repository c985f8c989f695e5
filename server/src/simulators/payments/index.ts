// Provider simulators: real HTTP servers that behave like the providers' sandboxes, for tests and the demo.
export {
  ProviderSimulator, SCENARIO_PHONE_SUFFIXES, scenarioFor,
  type DeliveryOptions, type RecordedRequest, type SimPayment, type SimulatorOptions, type WebhookDelivery, type Scenario,
} from './simulator.js';
export { WaveSimulator, type WaveSimulatorOptions } from './wave-simulator.js';
export { OrangeMoneySimulator, type OrangeMoneySimulatorOptions } from './orange-money-simulator.js';
export { FreeMoneySimulator, type FreeMoneySimulatorOptions } from './free-money-simulator.js';
export { startDemoSimulators, type DemoSimulators } from './demo.js';
export { WebhookReceiver, type ReceivedWebhook } from './webhook-receiver.js';
