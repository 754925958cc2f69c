// Questions & answers on a real instance (issue #14 point 2): a question tagged #kubernetes suggests the colleague
// whose expertise it is, who is asked to answer (a notification), answers; votes; the asker accepts; the
// unanswered and answered lists; the refusals (accepting without being the asker or a moderator, an answer of
// another question, voting for oneself).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";

describe("questions & answers (API)", () => {
  let paris: TestInstance;
  let alice: string, dave: string, erin: string, daveId: string;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${paris.url}${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => null) as any };
  };

  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    const users = await Promise.all([
      paris.createUser("alice"), paris.createUser("dave", { displayName: "Dave Ops" }), paris.createUser("erin"),
    ]);
    [alice, dave, erin] = users.map((u) => u.token);
    daveId = users[1].account.id;
    expect((await call(dave, "PATCH", "/api/ruche/v1/profiles/me", { job_title: "SRE", expertise: ["Kubernetes", "Terraform"] })).status).toBe(200);
    expect((await call(erin, "PATCH", "/api/ruche/v1/profiles/me", { expertise: ["Comptabilité"] })).status).toBe(200);
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("suggests the expert, who is asked, answers, gets votes and is accepted", async () => {
    const asked = await call(alice, "POST", "/api/ruche/v1/questions", { title: "Comment redémarrer un pod ?", body: "Le pod *paie* boucle.", tags: ["#kubernetes"] });
    expect(asked.status).toBe(200);
    expect(asked.json).toEqual({ id: expect.any(String), url: `${paris.origin}/knowledge/questions/${asked.json.id}`, suggested_experts: [expect.objectContaining({ id: daveId, username: "dave" })] });
    const id = asked.json.id;

    expect((await call(alice, "POST", `/api/ruche/v1/questions/${id}/ask`, { account_ids: [daveId] })).json).toEqual({ asked: [daveId] });
    const notes = await call(dave, "GET", "/api/v1/notifications");
    expect(notes.json[0]).toMatchObject({ type: "ruche.question", account: { id: expect.any(String), username: "alice" } });

    expect((await call(alice, "GET", "/api/ruche/v1/questions?state=unanswered")).json.map((q: any) => q.id)).toEqual([id]);
    const answer = await call(dave, "POST", `/api/ruche/v1/questions/${id}/answers`, { body: "`kubectl rollout restart deploy/paie`" });
    expect(answer.json).toMatchObject({ question_id: id, author: { username: "dave" }, content: expect.stringContaining("<code>") });
    const other = await call(erin, "POST", `/api/ruche/v1/questions/${id}/answers`, { body: "Redémarrez le serveur." });

    expect((await call(erin, "POST", `/api/ruche/v1/answers/${answer.json.id}/vote`, { value: 1 })).json.score).toBe(1);
    expect((await call(alice, "POST", `/api/ruche/v1/answers/${answer.json.id}/vote`, { value: 1 })).json.score).toBe(2);
    expect((await call(alice, "POST", `/api/ruche/v1/answers/${answer.json.id}/vote`, { value: 1 })).json.score).toBe(2); // one vote each
    expect(await call(dave, "POST", `/api/ruche/v1/answers/${answer.json.id}/vote`, { value: 1 })).toMatchObject({ status: 422, json: { code: "own_answer" } });

    // Only the asker (or a moderator) accepts.
    expect(await call(erin, "POST", `/api/ruche/v1/questions/${id}/accept`, { answer_id: other.json.id })).toMatchObject({ status: 403, json: { code: "forbidden" } });
    expect((await call(alice, "POST", `/api/ruche/v1/questions/${id}/accept`, { answer_id: answer.json.id })).status).toBe(200);

    const q = await call(erin, "GET", `/api/ruche/v1/questions/${id}`);
    expect(q.json).toMatchObject({ accepted_answer_id: answer.json.id, answers_count: 2, can_accept: false });
    expect(q.json.answers.map((a: any) => [a.author.username, a.accepted, a.score])).toEqual([["dave", true, 2], ["erin", false, 0]]);
    expect((await call(alice, "GET", "/api/ruche/v1/questions?state=answered&tag=kubernetes")).json.map((x: any) => x.id)).toEqual([id]);
    expect((await call(alice, "GET", "/api/ruche/v1/questions?state=unanswered")).json).toEqual([]);

    // Found by the group-wide search, in another inflection.
    const found = await call(erin, "GET", `/api/ruche/v1/search?q=${encodeURIComponent("redemarrer pods")}&kind=question`);
    expect(found.json.results.map((r: any) => r.id)).toEqual([id]);
  });

  it("refuses an answer of another question and a question with bad tags", async () => {
    const q1 = await call(alice, "POST", "/api/ruche/v1/questions", { title: "Q1", tags: ["compta"] });
    const q2 = await call(alice, "POST", "/api/ruche/v1/questions", { title: "Q2" });
    expect(q2.json.suggested_experts).toEqual([]);
    const a2 = await call(erin, "POST", `/api/ruche/v1/questions/${q2.json.id}/answers`, { body: "oui" });
    expect(await call(alice, "POST", `/api/ruche/v1/questions/${q1.json.id}/accept`, { answer_id: a2.json.id })).toMatchObject({ status: 422, json: { code: "answer_not_of_question" } });
    expect((await call(alice, "POST", "/api/ruche/v1/questions", { title: "T", tags: ["<script>"] })).status).toBe(422);
    expect((await call(alice, "POST", `/api/ruche/v1/questions/${q1.json.id}/answers`, { body: "   " })).status).toBe(422);
  });
});
