// Found on the class path as a source: a script naming swarmdoor.Evil must not get it compiled.
package swarmdoor

@groovy.transform.ASTTest(value = { System.setProperty('swarm.door', 'open') })
class Evil {
}
