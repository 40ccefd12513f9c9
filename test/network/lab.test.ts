// The network suite: one lab (built by ./support/global-setup.ts), one set
// of browsers per home kept for the whole suite, and the cases in ./cases.
// One file, so that the browsers inside the homes start once.
import { linkCases } from "./cases/links.ts";
import { natCases } from "./cases/nat.ts";
import { switchCases } from "./cases/switch.ts";
import { describeWithLab, useLab } from "./support/suite.ts";

describeWithLab("the network lab", () => {
  const session = useLab();
  natCases(session);
  switchCases(session);
  linkCases(session);
});
